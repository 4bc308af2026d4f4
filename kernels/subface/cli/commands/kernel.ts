/**
 * `subface kernel install|uninstall|list`: the SubFace Jupyter kernel's
 * kernelspec (tslab with the subface library), for JupyterLab, Jupyter
 * Notebook, nbclient and VS Code's Jupyter extension.
 */
import { Command, InvalidArgumentError } from 'commander';

import { DEFAULT_PYTHON } from '../../../tslab/jupyter_paths';
import {
  DEFAULT_KERNEL_NAME,
  FoundKernel,
  installKernelSpec,
  listKernelSpecs,
  SpecLocation,
  uninstallKernelSpec,
} from '../../../tslab/kernelspec';
import { CliOutput } from '../output';

interface LocationFlags {
  user?: boolean;
  sysPrefix?: boolean;
  prefix?: string;
  python?: string;
}

/** The one location the flags name; undefined when none is given. */
export function locationOf(flags: LocationFlags): SpecLocation | undefined {
  const given = [
    flags.user && '--user',
    flags.sysPrefix && '--sys-prefix',
    flags.prefix !== undefined && '--prefix',
  ].filter(Boolean);
  if (given.length > 1) {
    throw new InvalidArgumentError(
      `Use one of --user, --sys-prefix and --prefix, not ${given.join(' and ')}.`,
    );
  }
  if (flags.python !== undefined && !flags.sysPrefix) {
    throw new InvalidArgumentError('--python goes with --sys-prefix.');
  }
  if (flags.user) return { kind: 'user' };
  if (flags.sysPrefix) return { kind: 'sys-prefix', python: flags.python };
  if (flags.prefix !== undefined) return { kind: 'prefix', dir: flags.prefix };
  return undefined;
}

function withLocationOptions(command: Command): Command {
  return command
    .option('--user', 'the per-user kernels folder (install: the default)')
    .option('--sys-prefix', "Python's sys.prefix (a venv or conda env)")
    .option('--prefix <dir>', '<dir>/share/jupyter/kernels')
    .option(
      '--python <path>',
      `the Python asked for sys.prefix (default ${DEFAULT_PYTHON})`,
    )
    .option('--name <name>', 'kernel name', DEFAULT_KERNEL_NAME);
}

function installCommand(output: CliOutput): Command {
  return withLocationOptions(new Command('install'))
    .description(
      'Install the kernelspec. Needs no Python or Jupyter (except ' +
        '--sys-prefix); the kernel runs with the given Node and no PATH.',
    )
    .option('--node <path>', 'absolute path of node', process.execPath)
    .action(function (this: Command, flags: LocationFlags & InstallFlags) {
      const location = checked(this, flags) ?? { kind: 'user' };
      const done = installKernelSpec({
        location,
        name: flags.name,
        node: flags.node,
      });
      output.result(`installed kernel '${done.name}' in ${done.dir}`, done);
    });
}

interface InstallFlags {
  name: string;
  node: string;
}

function uninstallCommand(output: CliOutput): Command {
  return withLocationOptions(new Command('uninstall'))
    .description(
      'Remove the kernelspec (from the given location, or from wherever ' +
        'Jupyter would find it).',
    )
    .action(function (this: Command, flags: LocationFlags & { name: string }) {
      const location = checked(this, flags);
      const removed = uninstallKernelSpec({ location, name: flags.name });
      output.result(removed.map((dir) => `removed ${dir}`).join('\n'), {
        removed,
      });
    });
}

function describe(kernel: FoundKernel): string {
  const status =
    kernel.problems.length === 0 ? 'ok' : kernel.problems.join('; ');
  return `${kernel.name}  ${kernel.dir}  (${status})`;
}

function listCommand(output: CliOutput): Command {
  return new Command('list')
    .description(
      "Show the SubFace kernelspecs in Jupyter's search path " +
        '($JUPYTER_PATH, the user folder, the system folders).',
    )
    .action(() => {
      const kernels = listKernelSpecs();
      const text =
        kernels.length === 0
          ? 'no SubFace kernel installed (subface kernel install)'
          : kernels.map(describe).join('\n');
      output.result(text, { kernels });
    });
}

/** The location, with flag errors reported the way commander does. */
function checked(
  command: Command,
  flags: LocationFlags,
): SpecLocation | undefined {
  try {
    return locationOf(flags);
  } catch (error) {
    command.error(`error: ${(error as Error).message}`);
  }
}

export function kernelCommand(output: CliOutput): Command {
  return new Command('kernel')
    .description('Install, remove or list the SubFace Jupyter kernel.')
    .addCommand(installCommand(output))
    .addCommand(uninstallCommand(output))
    .addCommand(listCommand(output));
}
