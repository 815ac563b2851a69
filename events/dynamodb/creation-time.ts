/**
 * `ApproximateCreationDateTime`, to the second, as DynamoDB rounds it. Native streams give epoch
 * seconds (sometimes written as a float, or in exponent notation by Java), DynamoDB changes
 * delivered through Kinesis milliseconds or microseconds; the unit is told by magnitude, which is
 * unambiguous for any time after 1973 (1e11 seconds is the year 5138, 1e11 ms is 1973).
 */

const MILLISECONDS_FROM = 1e11;
const MICROSECONDS_FROM = 1e14;

/** Epoch seconds, whole, from epoch seconds, milliseconds or microseconds (or their decimal text). */
export function epochSecondsOf(value: number | string): number {
  const epoch = Number(value);
  const seconds = epoch >= MICROSECONDS_FROM ? epoch / 1e6 : epoch >= MILLISECONDS_FROM ? epoch / 1e3 : epoch;
  return Math.floor(seconds);
}

export const creationTimeOf = (value: number | string): Date => new Date(epochSecondsOf(value) * 1000);

/** A Date, an epoch number (seconds, or finer units told by magnitude) or ISO text, as the record's whole seconds; now by default. */
export function creationSeconds(time: Date | number | string | undefined): number {
  if (typeof time === 'number') return epochSecondsOf(time);
  const date = time === undefined ? new Date() : new Date(time);
  return Math.floor(date.getTime() / 1000);
}
