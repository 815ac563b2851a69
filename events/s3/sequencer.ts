import { EventError } from '../../shared/contract/errors.ts';

/**
 * Orders two `sequencer` values of events on the SAME object key (negative: `a` happened first).
 * Sequencers of different keys are not comparable; AWS gives no order across keys.
 *
 * Padding: the older S3 Developer Guide says left-pad the shorter value with zeros, the current
 * User Guide says right-pad. All real sequencers in the corpus are 18 hex digits, and they are
 * anchored on the left: digits 3 to 10 are the event's Unix time in seconds
 * (`00643717F9...` = 2023-04-12T20:43:37Z for an event stamped 20:43:38.021Z), and the leading
 * `00` is kept rather than trimmed. A digit's weight is therefore set by its position from the
 * left, and a longer value can only have extra low-order digits at the end — which is exactly what
 * right-padding compares correctly. Left-padding would shift the timestamp of the longer value and
 * compare seconds against sub-second digits; "longer is newer" would rank an old value with a
 * longer tail above a newer one. So: right-pad with zeros, then compare. With equal lengths — all
 * real cases — every reading agrees.
 *
 * Case is ignored (hex). A non-hex value (a sample placeholder such as "Happy Sequencer", or a
 * redacted recording) cannot be ordered, and an EventError says so rather than inventing an order.
 */
export function compareSequencers(a: string, b: string): number {
  const left = normalizeSequencer(a);
  const right = normalizeSequencer(b);
  const width = Math.max(left.length, right.length);
  const paddedLeft = left.padEnd(width, '0');
  const paddedRight = right.padEnd(width, '0');
  if (paddedLeft === paddedRight) return 0;
  return paddedLeft < paddedRight ? -1 : 1;
}

function normalizeSequencer(sequencer: string): string {
  if (!/^[0-9A-Fa-f]+$/.test(sequencer)) {
    throw new EventError(
      `cannot order S3 sequencer ${JSON.stringify(sequencer)}: expected hexadecimal digits (it is probably a sample placeholder)`,
    );
  }
  return sequencer.toUpperCase();
}
