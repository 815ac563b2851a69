import type { StreamViewType } from '../../contract/table-change.ts';
import type { DeliveredStreamRecord } from '../../../events/dynamodb/generate.ts';

/** The stream of one table, read by the local event-source mapping. */
export interface TableStream {
  table: string;
  streamArn: string;
  streamLabel: string;
  shardId: string;
  viewType: StreamViewType;
  /** Records with a sequence number greater than `after` (all retained ones when undefined), oldest first, at most `limit`. */
  read(after: string | undefined, limit: number): DeliveredStreamRecord[];
  /** The newest sequence number, undefined when the stream is empty. */
  latestSequenceNumber(): string | undefined;
  /** Called after each append (the record is durable by then); returns an unsubscribe function. */
  onAppend(listener: () => void): () => void;
}
