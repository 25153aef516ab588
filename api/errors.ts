// How the API answers errors: every error body is a catalogue error, { code, message, details },
// with the catalogue's HTTP status. Clients branch on `code`. Unexpected errors are logged with
// their stack and answered with INTERNAL_ERROR, never with the internal message.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SegstreamError, isSegstreamError } from '../engine/errors/errors.ts';

/** Answers with the error's catalogue status, or `status` when fastify chose a finer one. */
export function sendError(reply: FastifyReply, err: SegstreamError, status = err.status) {
  if (status === 503) reply.header('retry-after', String(RETRY_AFTER_S));
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="segstream"');
  return reply.code(status).send(err.toJSON());
}

/** Seconds a client should wait before retrying after a 503. */
export const RETRY_AFTER_S = 2;

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const coded = toCoded(err, req);
    if (coded.status >= 500) req.log.error({ err, code: coded.code }, 'request failed');
    else req.log.debug({ code: coded.code }, 'request refused');
    return sendError(reply, coded, clientStatus(err) ?? coded.status);
  });
}

function toCoded(err: FastifyError, req: FastifyRequest): SegstreamError {
  if (isSegstreamError(err)) return err;
  if (err.validation) {
    // Paths like body/segment/name: where the value is, or where the missing one should be.
    const first = err.validation[0];
    const missing = first?.params?.missingProperty;
    const at = `${first?.instancePath ?? ''}${missing === undefined ? '' : `/${String(missing)}`}`;
    return new SegstreamError('VALIDATION_FAILED', {
      path: `${err.validationContext ?? 'body'}${at}`,
      reason: first?.message,
    });
  }
  // Fastify's own request errors (unreadable JSON, body too large, ...) are the client's.
  if (clientStatus(err) !== undefined) {
    // fastify's message says what is wrong ("Body is not valid JSON …"); its code stays beside.
    const type = req.headers['content-type'];
    const reason =
      err.statusCode === 415
        ? `content-type ${type ?? '(none)'} is not accepted here`
        : err.message;
    return new SegstreamError('VALIDATION_FAILED', {
      path: 'body',
      reason,
      fastify_code: err.code,
    });
  }
  return new SegstreamError('INTERNAL_ERROR', {}, undefined, { cause: err });
}

/** The 4xx status fastify gave one of its own errors (413, 415, ...), if any. */
function clientStatus(err: FastifyError): number | undefined {
  if (isSegstreamError(err) || err.validation) return undefined;
  const status = err.statusCode;
  return status !== undefined && status >= 400 && status < 500 ? status : undefined;
}
