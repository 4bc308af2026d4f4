/**
 * The payload validators that media/build.mjs generates from the
 * contract's JSON Schemas with ajv's standalone mode (plain functions,
 * no `new Function` at run time).
 */
declare module 'subface-payload-validators' {
  export interface ValidatorError {
    keyword: string;
    instancePath: string;
    params: Record<string, unknown>;
    message?: string;
  }

  export interface Validator {
    (value: unknown): boolean;
    errors?: ValidatorError[] | null;
  }

  export const projection: Validator;
  export const aggregation: Validator;
  export const training: Validator;
  export const verification: Validator;
}
