// The built UI (ui/dist) at /, when it has been built. Vite names its assets by content hash,
// so they are cached for a year; index.html is revalidated on every load so a new build shows
// at once. Paths the API does not know fall back to index.html for the UI's own routing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SegstreamError } from '../engine/errors/errors.ts';
import { sendError } from './errors.ts';

export const UI_DIR = fileURLToPath(new URL('../ui/dist/', import.meta.url));

/** Paths that belong to the API: unknown ones there get a coded 404, never the UI page. */
const API_PATHS = /^\/(v\d+|health|ready)(\/|$|\?)/;

/** Serves `dir` at / if it holds an index.html; returns whether it does. */
export async function registerUi(app: FastifyInstance, dir = UI_DIR): Promise<boolean> {
  const present = fs.existsSync(path.join(dir, 'index.html'));
  if (present) {
    await app.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      wildcard: true,
      // The headers below replace send's default `max-age=0`.
      cacheControl: false,
      setHeaders: (res, file) => {
        const hashed = file.includes(`${path.sep}assets${path.sep}`);
        res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((req, reply) => notFound(req, reply, present));
  return present;
}

function notFound(req: FastifyRequest, reply: FastifyReply, ui: boolean) {
  const wantsPage = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
  if (ui && wantsPage && !API_PATHS.test(req.url)) return reply.sendFile('index.html');
  return sendError(reply, new SegstreamError('NOT_FOUND', { method: req.method, url: req.url }));
}
