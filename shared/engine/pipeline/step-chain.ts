import type { DescribedIssue } from '../../contract/describe-issue.ts';
import type { HandlerDefinition, ItemKind } from '../../contract/handler.ts';

/** How messages name what flows between steps. */
const KIND_NAMES: Record<ItemKind, string> = {
  object: 'objects',
  row: 'rows',
  change: 'table changes',
  'group-update': 'aggregate updates',
};

/** What a trigger hands the first step, and what an output can write. */
export const TRIGGER_GIVES = { bucket: 'object', table: 'change' } as const satisfies Record<string, ItemKind>;
export const OUTPUT_TAKES = { bucket: ['object', 'row'], table: ['row', 'group-update'] } as const satisfies Record<string, readonly ItemKind[]>;

const names = (kinds: readonly ItemKind[]) => kinds.map((kind) => KIND_NAMES[kind]).join(' or ');

export interface ChainedStep {
  handler: HandlerDefinition;
  /** Index in `steps`. */
  index: number;
}

/**
 * Whether the steps fit together: the trigger gives the first step what it takes, each step gives
 * the next what it takes, and the output can write what the last one gives. Steps run in the order
 * written, so a mismatch is refused rather than reordered.
 */
export function stepChainIssues(trigger: keyof typeof TRIGGER_GIVES, output: keyof typeof OUTPUT_TAKES, steps: readonly ChainedStep[]): DescribedIssue[] {
  const issues: DescribedIssue[] = [];
  let given: ItemKind = TRIGGER_GIVES[trigger];
  let giver = `a ${trigger} trigger`;
  for (const { handler, index } of steps) {
    if (!(handler.accepts as readonly ItemKind[]).includes(given)) {
      issues.push({ path: ['steps', index, handler.name], atKey: true, message: `${handler.name} takes ${names(handler.accepts)}, but ${giver} gives ${KIND_NAMES[given]}` });
    }
    given = handler.emits;
    giver = `the step before it (${handler.name})`;
  }
  const takes: readonly ItemKind[] = OUTPUT_TAKES[output];
  const last = steps[steps.length - 1];
  if (last && !takes.includes(given)) {
    issues.push({ path: ['to', output], atKey: true, message: `a ${output} output writes ${names(takes)}, but the last step (${last.handler.name}) gives ${KIND_NAMES[given]}` });
  }
  return issues;
}
