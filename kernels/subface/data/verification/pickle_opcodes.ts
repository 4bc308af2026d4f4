/**
 * Pickle opcode bytes, and the name of every opcode CPython defines so
 * that an error can say which one it met (pickletools' names).
 */

/** The opcodes the safe unpickler and the pack writer use. */
export const OP = {
  PROTO: 0x80,
  FRAME: 0x95,
  STOP: 0x2e, // '.'
  MARK: 0x28, // '('
  EMPTY_LIST: 0x5d, // ']'
  APPEND: 0x61, // 'a'
  APPENDS: 0x65, // 'e'
  EMPTY_TUPLE: 0x29, // ')'
  TUPLE: 0x74, // 't'
  TUPLE1: 0x85,
  TUPLE2: 0x86,
  TUPLE3: 0x87,
  BINPUT: 0x71, // 'q'
  LONG_BINPUT: 0x72, // 'r'
  MEMOIZE: 0x94,
  BINGET: 0x68, // 'h'
  LONG_BINGET: 0x6a, // 'j'
  BINSTRING: 0x54, // 'T'
  SHORT_BINSTRING: 0x55, // 'U'
  BINBYTES: 0x42, // 'B'
  SHORT_BINBYTES: 0x43, // 'C'
  BINBYTES8: 0x8e,
  BYTEARRAY8: 0x96,
  BINUNICODE: 0x58, // 'X'
  SHORT_BINUNICODE: 0x8c,
  NONE: 0x4e, // 'N'
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  BININT1: 0x4b, // 'K'
  BININT2: 0x4d, // 'M'
  BININT: 0x4a, // 'J'
  GLOBAL: 0x63, // 'c'
  STACK_GLOBAL: 0x93,
  REDUCE: 0x52, // 'R'
  BUILD: 0x62, // 'b'
} as const;

/** Every opcode of pickle protocols 0-5, by byte. */
const ALL_OPCODE_NAMES: Record<number, string> = {
  0x49: 'INT',
  0x4a: 'BININT',
  0x4b: 'BININT1',
  0x4d: 'BININT2',
  0x4c: 'LONG',
  0x8a: 'LONG1',
  0x8b: 'LONG4',
  0x53: 'STRING',
  0x54: 'BINSTRING',
  0x55: 'SHORT_BINSTRING',
  0x42: 'BINBYTES',
  0x43: 'SHORT_BINBYTES',
  0x8e: 'BINBYTES8',
  0x96: 'BYTEARRAY8',
  0x97: 'NEXT_BUFFER',
  0x98: 'READONLY_BUFFER',
  0x4e: 'NONE',
  0x88: 'NEWTRUE',
  0x89: 'NEWFALSE',
  0x56: 'UNICODE',
  0x8c: 'SHORT_BINUNICODE',
  0x58: 'BINUNICODE',
  0x8d: 'BINUNICODE8',
  0x46: 'FLOAT',
  0x47: 'BINFLOAT',
  0x5d: 'EMPTY_LIST',
  0x61: 'APPEND',
  0x65: 'APPENDS',
  0x6c: 'LIST',
  0x29: 'EMPTY_TUPLE',
  0x74: 'TUPLE',
  0x85: 'TUPLE1',
  0x86: 'TUPLE2',
  0x87: 'TUPLE3',
  0x7d: 'EMPTY_DICT',
  0x64: 'DICT',
  0x73: 'SETITEM',
  0x75: 'SETITEMS',
  0x8f: 'EMPTY_SET',
  0x90: 'ADDITEMS',
  0x91: 'FROZENSET',
  0x30: 'POP',
  0x32: 'DUP',
  0x28: 'MARK',
  0x31: 'POP_MARK',
  0x67: 'GET',
  0x68: 'BINGET',
  0x6a: 'LONG_BINGET',
  0x70: 'PUT',
  0x71: 'BINPUT',
  0x72: 'LONG_BINPUT',
  0x94: 'MEMOIZE',
  0x82: 'EXT1',
  0x83: 'EXT2',
  0x84: 'EXT4',
  0x63: 'GLOBAL',
  0x93: 'STACK_GLOBAL',
  0x52: 'REDUCE',
  0x62: 'BUILD',
  0x69: 'INST',
  0x6f: 'OBJ',
  0x81: 'NEWOBJ',
  0x92: 'NEWOBJ_EX',
  0x80: 'PROTO',
  0x2e: 'STOP',
  0x95: 'FRAME',
  0x50: 'PERSID',
  0x51: 'BINPERSID',
};

/** Names an opcode byte for an error: `0x63 'c' GLOBAL`. */
export function describeOpcode(code: number): string {
  const hex = `0x${code.toString(16).padStart(2, '0')}`;
  const printable =
    code >= 0x20 && code < 0x7f ? ` '${String.fromCharCode(code)}'` : '';
  const name = ALL_OPCODE_NAMES[code] ?? 'not a pickle opcode';
  return `${hex}${printable} ${name}`;
}

/** The names of the opcodes the unpickler accepts, for error messages. */
export const SUPPORTED_OPCODE_NAMES: readonly string[] = Object.keys(OP);
