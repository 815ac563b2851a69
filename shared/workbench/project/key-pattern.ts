/**
 * Sets of object keys, as sequences of literal text and wildcards, and the one question project
 * checks ask of them: can some key of the set start with a prefix and end with a suffix?
 *
 * The answer is exact for the set described: it is decided by walking the pattern, `renderKey`'s
 * clean-up of the rendered text and the prefix and suffix tests together, as automata, over the few
 * characters that can make a difference (every character the wildcards stand for behaves like one
 * of them).
 */

/** Any text, `/` included. */
export const ANY = Object.freeze({ wildcard: 'any' as const });
/** Any text without `/`: one path segment, or part of one. */
export const SEGMENT = Object.freeze({ wildcard: 'segment' as const });

export type Wildcard = typeof ANY | typeof SEGMENT;
export type KeyPart = string | Wildcard;
export type KeyPattern = readonly KeyPart[];

/**
 * Concatenates parts and patterns, merging neighbours: adjacent texts join, and a wildcard next to
 * another stands for both (`ANY` absorbs `SEGMENT`).
 */
export function joinPattern(...pieces: readonly (KeyPart | KeyPattern)[]): KeyPattern {
  const out: KeyPart[] = [];
  for (const piece of pieces) {
    for (const part of typeof piece === 'string' || !Array.isArray(piece) ? [piece as KeyPart] : (piece as KeyPattern)) {
      if (part === '') continue;
      const last = out[out.length - 1];
      if (typeof part === 'string' && typeof last === 'string') out[out.length - 1] = last + part;
      else if (typeof part !== 'string' && last !== undefined && typeof last !== 'string') out[out.length - 1] = last === ANY || part === ANY ? ANY : SEGMENT;
      else out.push(part);
    }
  }
  return out;
}

/** `images/*.jpg`-like text, `*` for any text and `?*` for text without `/`: for tests and debugging. */
export function showPattern(pattern: KeyPattern): string {
  return pattern.map((part) => (typeof part === 'string' ? part : part === ANY ? '*' : '?*')).join('');
}

export interface KeyFilter {
  prefix: string;
  /** `''` for no suffix condition. */
  suffix: string;
}

export interface MatchOptions {
  /** Apply `renderKey`'s clean-up (runs of `/` collapsed, a leading `/` and a trailing `.` dropped), as output keys get. */
  normalize: boolean;
}

type Item = string | Wildcard;

/** The clean-up `renderKey` does, as a streaming transducer: what has been emitted so far, in four bits. */
interface CleanState {
  /** Nothing emitted yet: a `/` here is dropped (the leading slash of the collapsed text). */
  start: boolean;
  /** The last input character was `/`: another one collapses into it. */
  slash: boolean;
  /** The last emitted character is a `.` kept as if more followed: the text must not end here. */
  dot: boolean;
  /** A `.` was dropped as the text's last character: nothing may follow. */
  ended: boolean;
}

const FRESH: CleanState = { start: true, slash: false, dot: false, ended: false };

function feed(state: CleanState, c: string, normalize: boolean): { out: string | null; state: CleanState }[] {
  if (!normalize) return [{ out: c, state }];
  if (state.ended) return [];
  if (c === '/') {
    if (state.start || state.slash) return [{ out: null, state: { ...state, slash: true } }];
    return [{ out: '/', state: { start: false, slash: true, dot: false, ended: false } }];
  }
  const kept = { out: c, state: { start: false, slash: false, dot: c === '.', ended: false } };
  // A `.` may be the last character, which the clean-up removes (once: what is before it stays,
  // even another dot): try both.
  return c === '.' ? [kept, { out: null, state: { ...state, dot: false, ended: true } }] : [kept];
}

/** Longest prefix of `word` that is a suffix of `seen + c`, as a KMP automaton would find. */
function suffixStep(word: string, matched: number, c: string): number {
  const text = word.slice(0, matched) + c;
  for (let k = Math.min(word.length, text.length); k > 0; k--) if (text.endsWith(word.slice(0, k))) return k;
  return 0;
}

/** A character none of the texts involved contains: it stands for every such character. */
function otherCharacter(used: Set<string>): string {
  for (let code = 0xe000; ; code++) {
    const c = String.fromCharCode(code);
    if (!used.has(c)) return c;
  }
}

/** Whether some key of `pattern` (after the clean-up, if asked) starts with `filter.prefix` and ends with `filter.suffix`. */
export function canMatch(pattern: KeyPattern, filter: KeyFilter, options: MatchOptions): boolean {
  const items: Item[] = [];
  for (const part of pattern) {
    if (typeof part === 'string') items.push(...part.split(''));
    else items.push(part);
  }
  const used = new Set<string>(['/', '.', ...filter.prefix, ...filter.suffix]);
  for (const item of items) if (typeof item === 'string') used.add(item);
  const alphabet = [...used, otherCharacter(used)];
  const { prefix, suffix } = filter;

  // A state: position in the pattern, clean-up state, prefix characters matched, suffix automaton state.
  type State = { at: number; clean: CleanState; pre: number; suf: number };
  const id = (s: State) => `${s.at}|${+s.clean.start}${+s.clean.slash}${+s.clean.dot}${+s.clean.ended}|${s.pre}|${s.suf}`;
  const seen = new Set<string>();
  const queue: State[] = [];
  const visit = (s: State) => {
    const key = id(s);
    if (!seen.has(key)) {
      seen.add(key);
      queue.push(s);
    }
  };
  const emit = (from: State, at: number, c: string) => {
    for (const { out, state } of feed(from.clean, c, options.normalize)) {
      if (out === null) {
        visit({ at, clean: state, pre: from.pre, suf: from.suf });
        continue;
      }
      if (from.pre < prefix.length && out !== prefix[from.pre]) continue;
      visit({ at, clean: state, pre: Math.min(prefix.length, from.pre + 1), suf: suffix ? suffixStep(suffix, from.suf, out) : 0 });
    }
  };

  visit({ at: 0, clean: FRESH, pre: 0, suf: 0 });
  while (queue.length) {
    const state = queue.shift()!;
    if (state.at === items.length) {
      if (state.pre === prefix.length && state.suf === suffix.length && !state.clean.dot) return true;
      continue;
    }
    const item = items[state.at]!;
    if (typeof item === 'string') {
      emit(state, state.at + 1, item);
      continue;
    }
    visit({ ...state, at: state.at + 1 }); // the wildcard stands for no text
    for (const c of alphabet) if (item === ANY || c !== '/') emit(state, state.at, c);
  }
  return false;
}
