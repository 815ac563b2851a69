/** The values column rules take, as public data (docs, checks and the rules engine read them). */

export const COLUMN_TYPES = ['string', 'integer', 'decimal', 'boolean', 'date', 'datetime', 'email', 'phone', 'enum'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export const CASES = ['none', 'lower', 'upper'] as const;
export const UNICODE_FORMS = ['NFC', 'NFD', 'NFKC', 'NFKD', 'none'] as const;
export const CONTROLS = ['strip', 'stripAll', 'keep', 'reject'] as const;
export const PII_ACTIONS = ['hash', 'mask', 'redact', 'drop'] as const;

export const DEFAULT_TRUE_VALUES = ['true', 'yes', 'y', '1'] as const;
export const DEFAULT_FALSE_VALUES = ['false', 'no', 'n', '0'] as const;
export const DEFAULT_KEEP_LAST = 4;
