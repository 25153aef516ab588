// Route schemas are compiled by two Ajv instances: query strings, params and headers are text on
// the wire, so "5" may stand for 5 there (and a lone value for a one-item array); a JSON body
// already has types, so a string where a number belongs, a number where text belongs or a bare
// value where a list belongs is refused with its path instead of silently converted.
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

function compiler(coerceTypes: 'array' | false): Ajv {
  // As fastify's own defaults, except that unknown properties are refused, never dropped.
  const ajv = new Ajv({
    coerceTypes,
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
  });
  // ajv-formats is CommonJS: its plugin is the default export's `default`.
  formats.default(ajv);
  return ajv;
}

export function installValidation(app: FastifyInstance): void {
  const text = compiler('array');
  const json = compiler(false);
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? json : text).compile(schema),
  );
}
