/**
 * A safe, non-executing reader for the small subset of Python's pickle
 * format that verification packs use (docs/method.md, "Data formats").
 * Nothing is ever imported or called: GLOBAL names are checked against a
 * whitelist and kept as names, and REDUCE / BUILD become inert records
 * that the caller interprets. Every length is checked against the buffer,
 * and any opcode outside the supported set is rejected with its name and
 * byte offset.
 */
import { DataError } from '../types';
import { describeOpcode, OP, SUPPORTED_OPCODE_NAMES } from './pickle_opcodes';
import {
  ALLOWED_GLOBALS,
  describeValue,
  kindOf,
  PickleCall,
  PickleGlobal,
  PickleTuple,
  PickleValue,
  reduce,
} from './pickle_values';

export type { PickleCall, PickleGlobal, PickleTuple, PickleValue };
export { ALLOWED_GLOBALS, describeValue };

export interface UnpickleResult {
  value: PickleValue;
  /** The PROTO argument, or null when the pickle has none (protocol 0/1). */
  protocol: number | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Loads one pickle from `bytes` without executing anything. `where` names
 * the file in errors. Bytes after STOP are ignored, as Python does.
 */
export function unpickle(bytes: Uint8Array, where: string): UnpickleResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const stack: PickleValue[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PickleValue>();
  let protocol: number | null = null;
  let offset = 0;
  let at = 0;
  let code = 0;

  const fail = (what: string, expected: string, actual: string): never => {
    throw new DataError(
      `${where}: ${what} at byte ${at} (${describeOpcode(code)}) must ` +
        `${expected}, but got ${actual}`,
    );
  };
  const need = (count: number): void => {
    const left = bytes.length - offset;
    if (count > left) {
      fail('pickle argument', `be ${count} bytes`, `${left} (truncated)`);
    }
  };
  const take = (count: number): Uint8Array => {
    need(count);
    offset += count;
    return bytes.subarray(offset - count, offset);
  };
  // Little-endian integers; only BININT (4 bytes) is signed.
  const int = (size: 1 | 2 | 4, signed = false): number => {
    need(size);
    offset += size;
    const start = offset - size;
    if (size === 1) return bytes[start];
    if (size === 2) return view.getUint16(start, true);
    return signed ? view.getInt32(start, true) : view.getUint32(start, true);
  };
  const u64 = (): number => {
    const low = int(4);
    const high = int(4);
    // Anything past 2^53 cannot fit in the buffer anyway.
    return high >= 0x200000 ? Number.MAX_SAFE_INTEGER : high * 2 ** 32 + low;
  };
  const text = (count: number): string => {
    const raw = take(count);
    try {
      return utf8.decode(raw);
    } catch {
      return fail('pickle string', 'be valid UTF-8', 'invalid bytes');
    }
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, offset);
    if (end < 0) fail('pickle global', 'end with a newline', 'none');
    const raw = bytes.subarray(offset, end);
    offset = end + 1;
    return Buffer.from(raw).toString('latin1');
  };

  // Values above the innermost MARK are the only ones an opcode may pop.
  const floor = (): number => (marks.length ? marks[marks.length - 1] : 0);
  const pop = (): PickleValue => {
    if (stack.length <= floor()) {
      fail('pickle stack', 'hold a value above the last MARK', 'none');
    }
    return stack.pop() as PickleValue;
  };
  const popMark = (): PickleValue[] => {
    const mark = marks.pop();
    if (mark === undefined) fail('pickle stack', 'hold a MARK', 'none');
    return stack.splice(mark as number);
  };
  const top = (): PickleValue => {
    if (stack.length <= floor()) {
      fail('pickle stack', 'hold a value above the last MARK', 'none');
    }
    return stack[stack.length - 1];
  };
  const tuple = (items: PickleValue[]): PickleTuple => ({
    kind: 'tuple',
    items,
  });
  const list = (): PickleValue[] => {
    const target = top();
    if (!Array.isArray(target)) {
      fail('APPEND target', 'be a list', describeValue(target));
    }
    return target as PickleValue[];
  };
  const global = (module: string, name: string): PickleGlobal => {
    const full = `${module}.${name}`;
    if (!ALLOWED_GLOBALS.includes(full)) {
      fail(
        'pickle global',
        `be one of ${ALLOWED_GLOBALS.join(', ')}`,
        `'${full.slice(0, 200)}' (rejected: nothing was imported or run)`,
      );
    }
    return { kind: 'global', module, name };
  };
  const get = (id: number): PickleValue => {
    if (!memo.has(id)) fail('memo id', 'have been stored', `${id}`);
    return memo.get(id) as PickleValue;
  };

  for (;;) {
    at = offset;
    if (offset >= bytes.length) {
      code = 0;
      throw new DataError(
        `${where}: pickle must end with STOP, but got the end of the data ` +
          `at byte ${at} (truncated file)`,
      );
    }
    code = bytes[offset++];
    switch (code) {
      case OP.PROTO:
        protocol = int(1);
        if (protocol > 5) fail('PROTO', 'be 0 to 5', `${protocol}`);
        break;
      case OP.FRAME:
        // Frames only group opcodes for buffered reading; the whole
        // file is in memory, so check the length and carry on.
        need(u64());
        break;
      case OP.STOP:
        if (marks.length || stack.length !== 1) {
          fail('pickle stack', 'hold exactly 1 value', `${stack.length}`);
        }
        return { value: stack[0], protocol };
      case OP.MARK:
        marks.push(stack.length);
        break;
      case OP.EMPTY_LIST:
        stack.push([]);
        break;
      case OP.APPEND: {
        const value = pop();
        list().push(value);
        break;
      }
      case OP.APPENDS: {
        const items = popMark();
        const target = list();
        for (const item of items) target.push(item);
        break;
      }
      case OP.EMPTY_TUPLE:
        stack.push(tuple([]));
        break;
      case OP.TUPLE:
        stack.push(tuple(popMark()));
        break;
      case OP.TUPLE1:
      case OP.TUPLE2:
      case OP.TUPLE3: {
        const items = Array.from({ length: code - OP.TUPLE1 + 1 }, pop);
        stack.push(tuple(items.reverse()));
        break;
      }
      case OP.BINPUT:
        memo.set(int(1), top());
        break;
      case OP.LONG_BINPUT:
        memo.set(int(4), top());
        break;
      case OP.MEMOIZE:
        memo.set(memo.size, top());
        break;
      case OP.BINGET:
        stack.push(get(int(1)));
        break;
      case OP.LONG_BINGET:
        stack.push(get(int(4)));
        break;
      case OP.BINSTRING: {
        const length = int(4, true);
        if (length < 0) fail('BINSTRING length', 'be >= 0', `${length}`);
        stack.push(take(length));
        break;
      }
      case OP.SHORT_BINSTRING:
      case OP.SHORT_BINBYTES:
        stack.push(take(int(1)));
        break;
      case OP.BINBYTES:
        stack.push(take(int(4)));
        break;
      case OP.BINBYTES8:
      case OP.BYTEARRAY8:
        stack.push(take(u64()));
        break;
      case OP.BINUNICODE:
        stack.push(text(int(4)));
        break;
      case OP.SHORT_BINUNICODE:
        stack.push(text(int(1)));
        break;
      case OP.NONE:
        stack.push(null);
        break;
      case OP.NEWTRUE:
      case OP.NEWFALSE:
        stack.push(code === OP.NEWTRUE);
        break;
      case OP.BININT1:
        stack.push(int(1));
        break;
      case OP.BININT2:
        stack.push(int(2));
        break;
      case OP.BININT:
        stack.push(int(4, true));
        break;
      case OP.GLOBAL: {
        const module = line();
        stack.push(global(module, line()));
        break;
      }
      case OP.STACK_GLOBAL: {
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') {
          fail('STACK_GLOBAL names', 'be two str', describeValue(name));
        }
        stack.push(global(module as string, name as string));
        break;
      }
      case OP.REDUCE: {
        const args = pop();
        const callee = pop();
        if (kindOf(args) !== 'tuple') {
          fail('REDUCE arguments', 'be a tuple', describeValue(args));
        }
        if (kindOf(callee) !== 'global') {
          fail('REDUCE callee', 'be a global', describeValue(callee));
        }
        stack.push(
          reduce(callee as PickleGlobal, args as PickleTuple, (a, b) =>
            fail('_codecs.encode arguments', a, b),
          ),
        );
        break;
      }
      case OP.BUILD: {
        const state = pop();
        const target = top();
        if (kindOf(target) !== 'call') {
          fail('BUILD target', 'be a REDUCE result', describeValue(target));
        }
        (target as PickleCall).state = state;
        break;
      }
      default:
        fail(
          'pickle opcode',
          `be one of ${SUPPORTED_OPCODE_NAMES.join(', ')}`,
          'an unsupported opcode',
        );
    }
  }
}
