import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import {
  prefixDataDir,
  pythonPrefix,
  searchDataDirs,
  systemDataDirs,
  userDataDir,
} from '../../../kernels/tslab/jupyter_paths';

const HOME = '/home/ada';

describe('userDataDir', () => {
  it('is ~/.local/share/jupyter on Linux', () => {
    assert.equal(
      userDataDir({}, 'linux', HOME),
      '/home/ada/.local/share/jupyter',
    );
  });

  it('follows XDG_DATA_HOME on Linux', () => {
    const env = { XDG_DATA_HOME: '/data/xdg' };
    assert.equal(userDataDir(env, 'linux', HOME), '/data/xdg/jupyter');
  });

  it('prefers JUPYTER_DATA_DIR everywhere', () => {
    const env = { JUPYTER_DATA_DIR: '/j', XDG_DATA_HOME: '/x' };
    assert.equal(userDataDir(env, 'linux', HOME), '/j');
    assert.equal(userDataDir(env, 'darwin', HOME), '/j');
  });

  it('is ~/Library/Jupyter on macOS', () => {
    assert.equal(userDataDir({}, 'darwin', HOME), '/home/ada/Library/Jupyter');
  });

  it('is %APPDATA%\\jupyter on Windows', () => {
    const env = { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' };
    assert.equal(
      userDataDir(env, 'win32', HOME),
      path.join(env.APPDATA, 'jupyter'),
    );
  });
});

describe('searchDataDirs', () => {
  it('puts JUPYTER_PATH first, then the user folder, then the system', () => {
    const env = { JUPYTER_PATH: ['/a', '/b'].join(path.delimiter) };
    assert.deepEqual(searchDataDirs(env, 'linux', HOME), [
      '/a',
      '/b',
      '/home/ada/.local/share/jupyter',
      ...systemDataDirs({}, 'linux'),
    ]);
  });

  it('lists each folder once', () => {
    const env = { JUPYTER_PATH: '/usr/share/jupyter' };
    const dirs = searchDataDirs(env, 'linux', HOME);
    assert.equal(dirs.filter((d) => d === '/usr/share/jupyter').length, 1);
  });
});

describe('prefixDataDir', () => {
  it('is <prefix>/share/jupyter, absolute', () => {
    assert.equal(prefixDataDir('/opt/env'), '/opt/env/share/jupyter');
    assert.equal(
      prefixDataDir('rel'),
      path.join(process.cwd(), 'rel', 'share', 'jupyter'),
    );
  });
});

describe('pythonPrefix', () => {
  it('names the missing Python and the alternatives', () => {
    assert.throws(() => pythonPrefix('/no/such/python3'), {
      name: 'KernelError',
      message: /\/no\/such\/python3 did not answer.*--user or --prefix/,
    });
  });
});
