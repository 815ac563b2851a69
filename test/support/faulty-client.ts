import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Faults injected into a real DynamoDB client, per call: fail before the request is sent (the
 * write never happens), or after the answer came back (the write happened but the caller cannot
 * know: a dropped connection). Errors look transient (HTTP 500), as those are.
 */
export type Fault = 'before' | 'after' | undefined;

export interface CallInfo {
  command: string;
  input: Record<string, unknown>;
}

export class InjectedFault extends Error {
  override readonly name = 'InjectedFault';
  readonly $metadata = { httpStatusCode: 500 };
}

/** Adds `decide` in front of every call of `client`; returns a log of the calls made (with their fault). */
export function injectFaults(client: DynamoDBClient, decide: (call: CallInfo) => Fault): (CallInfo & { fault: Fault })[] {
  const calls: (CallInfo & { fault: Fault })[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const call = { command: String(context.commandName), input: args.input as Record<string, unknown> };
      const fault = decide(call);
      calls.push({ ...call, fault });
      if (fault === 'before') throw new InjectedFault(`injected failure before ${call.command}`);
      const result = await next(args);
      if (fault === 'after') throw new InjectedFault(`injected failure after ${call.command} (it was applied)`);
      return result;
    },
    { step: 'initialize', name: 'injectFaults' },
  );
  return calls;
}
