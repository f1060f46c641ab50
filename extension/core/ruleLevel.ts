// What a user may set a lint rule to (`gna.rules`, `[tool.gna.rules]`, `gna lint --rules`): a
// severity, or off. Here so that the settings readers check levels without the linter.

export const RULE_LEVELS = ['off', 'info', 'warning', 'error'] as const;
export type RuleLevel = (typeof RULE_LEVELS)[number];

export function isRuleLevel(value: unknown): value is RuleLevel {
  return typeof value === 'string' && (RULE_LEVELS as readonly string[]).includes(value);
}
