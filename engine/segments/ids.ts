// Segment ids: short, random and safe in URLs, or chosen by the caller within the same alphabet.
import { randomBytes } from 'node:crypto';
import { SegstreamError } from '../errors/errors.ts';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** 12 characters of base64url: 72 random bits, no collision in any realistic segment count. */
export function newSegmentId(): string {
  return randomBytes(9).toString('base64url');
}

export function checkSegmentId(id: string): string {
  if (!ID.test(id)) {
    throw new SegstreamError(
      'VALIDATION_FAILED',
      { path: 'id', reason: 'must be 1 to 64 letters, digits, _ or -' },
      'The input does not match its schema at id: must be 1 to 64 letters, digits, _ or -',
    );
  }
  return id;
}
