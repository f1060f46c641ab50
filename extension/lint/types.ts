// The contract between the linter (pure, no `vscode`) and its users: the editor host, the CLI
// and the previews. Ranges are UTF-16 offsets into the linted text (JavaScript string indices);
// each surface converts them once (the host's converters, the CLI's line/column table).

import type { GpuFamily } from '../core/presets';
import type { Rank, TileShape } from '../core/problem';
import type { Simulation } from '../core/simulator';
import type { TrainingSimulation } from '../core/backward';
import type { StrideRecommendation } from '../core/recommend';
import type { CheckResult, Parameter, RawProblem } from '../core/validate';
import type { RuleLevel } from '../core/ruleLevel';
import type { FileTrace } from '../core/trace';
import type { TracedSummary } from './traced';
import type { PythonWorkspace } from '../python/workspace';

export interface SourceRange {
  readonly start: number;
  readonly end: number;
}

export interface TextEdit {
  readonly range: SourceRange;
  readonly newText: string;
}

/** The arguments that shape the mask, which a report's user may rewrite (`setMaskArguments`). */
export const MASK_PARAMETERS = ['kernel_size', 'stride', 'dilation', 'is_causal'] as const;
export type MaskParameter = (typeof MASK_PARAMETERS)[number];

/** Where a new value of an argument goes: replacing `range`, or added at it (`insert`). */
export interface ArgumentSlot {
  readonly range: SourceRange;
  /** Set where the argument is added: its key (`stride=`, `"stride": `) and whether a comma goes first. */
  readonly insert?: { readonly key: string; readonly comma: boolean };
}

/** New per-axis values of mask arguments (absent: left as it is). */
export type MaskValues = Readonly<Partial<Record<MaskParameter, readonly (number | boolean)[]>>>;

export interface MaskArgumentEdits {
  readonly edits: readonly TextEdit[];
  /** `param=value` for each argument written. */
  readonly written: readonly string[];
  /** Each changed argument that is not written, with why. */
  readonly notWritten: readonly string[];
}

export type Severity = 'error' | 'warning' | 'info';

/** What a user may set a rule to (`gna.rules`, `[tool.gna.rules]`, `--rules`): a severity, or off. */
export { RULE_LEVELS, isRuleLevel, type RuleLevel } from '../core/ruleLevel';

/** The values a `# gna:` annotation can give, in the order an added annotation writes them. */
export const ANNOTATABLE = ['kernel_size', 'stride', 'dilation', 'is_causal', 'input_size'] as const;
export type Annotatable = (typeof ANNOTATABLE)[number];

/** A value the linter needs to check and simulate a call and could not learn, and why. */
export interface MissingValue {
  readonly key: Annotatable;
  readonly reason: string;
}

/**
 * Where a `# gna:` annotation for a call goes: the one the call already has (extended, never
 * doubled), else a new comment line at `lineStart` with the statement's indentation.
 */
export interface AnnotationSite {
  readonly lineStart: number;
  readonly indent: string;
  readonly existing?: {
    /** The whole comment. */
    readonly range: SourceRange;
    /** Where each key's value is written in it. */
    readonly values: Readonly<Partial<Record<string, SourceRange>>>;
  };
}

export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The fix an editor offers first ("apply the recommended stride"). */
  readonly preferred?: boolean;
}

export interface Finding {
  /** Stable rule id, e.g. `gna/stride-exceeds-window`; the editor shows it as the diagnostic code. */
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: SourceRange;
  readonly fixes: readonly Fix[];
  /** Index into `LintReport.calls` of the call the finding is about. */
  readonly callIndex?: number;
}

export interface LintOptions {
  /** NATTEN version the code targets, e.g. `0.21` (the newest, the default) or `0.17`. */
  readonly nattenVersion?: string;
  readonly family?: GpuFamily;
  readonly headDim?: number;
  /** Token layout to assume when a call has no `# gna: input_size=…` annotation. */
  readonly defaultInputSize?: readonly number[];
  /** Rules to report (default: all) and rules not to report; ids with or without `gna/`. */
  readonly select?: readonly string[];
  readonly ignore?: readonly string[];
  /** Per-rule level, over the rule's default (ids with or without `gna/`); `off` hides the rule. */
  readonly rules?: Readonly<Record<string, RuleLevel>>;
  /**
   * Milliseconds the file may take; past it the remaining calls are not checked and a
   * `gna/analysis-stopped` finding marks where analysis stopped. Unset: no budget.
   */
  readonly timeBudgetMs?: number;
  /** What a `gna trace` run recorded for this file: its calls are checked with the traced configs. */
  readonly trace?: FileTrace;
  /** The workspace the text belongs to (call sites and config classes in other files), and its path there. */
  readonly workspace?: PythonWorkspace;
  readonly path?: string;
}

/** What the linter knows about one recognised call. */
export interface CallReport {
  readonly index: number;
  /** The name as NATTEN knows it: `na2d`, `NeighborhoodAttention3D`, `natten2dqkrpb`, … */
  readonly op: string;
  readonly rank: Rank;
  /** The whole call expression, and the callee (where hints and lenses anchor). */
  readonly range: SourceRange;
  readonly calleeRange: SourceRange;
  /** Source ranges of the arguments that were given, by NATTEN parameter name. */
  readonly argumentRanges: Readonly<Partial<Record<Parameter, SourceRange>>>;
  /** Where each mask argument's new value goes (at the call or in its `**dict`), or why it cannot be written. */
  readonly argumentSlots: Readonly<Partial<Record<MaskParameter, ArgumentSlot | string>>>;
  /** Resolved values (UNKNOWN where the scanner could not follow a name). */
  readonly raw: RawProblem;
  /** Where the token layout came from. */
  readonly layoutSource: 'annotation' | 'code' | 'setting' | 'trace' | 'none';
  readonly check: CheckResult;
  /** Present when the config is complete and valid. */
  readonly tiles?: TileShape;
  readonly simulation?: Simulation;
  readonly recommendation?: StrideRecommendation;
  /** The backward's tiles (`backward_*_tile_shape`, else the family's backward preset) and the training step. */
  readonly backwardTiles?: TileShape;
  readonly training?: TrainingSimulation;
  /**
   * Set when the call takes its config from a dict by a run-time key (`**GNA_LAYERS[name]`):
   * the call is reported once per dict entry, each with the entry's key here (`double_blocks.0`).
   */
  readonly variant?: string;
  /** Set when the config is one a traced run called the op with (the variant says which). */
  readonly traced?: TracedSummary;
  /** Why an argument's value is not known statically, by NATTEN parameter name. */
  readonly unresolved?: Readonly<Partial<Record<'kernel_size' | 'stride' | 'dilation' | 'is_causal', string>>>;
  /** Mask arguments whose value came from the call's `# gna:` annotation (the code leaves them unknown). */
  readonly annotated?: readonly MaskParameter[];
  /** What the linter needs and does not know (absent: nothing); the hover lists it, an annotation gives it. */
  readonly missing?: readonly MissingValue[];
  /** Where this call's `# gna:` annotation is or would go (see `annotationEdit`). */
  readonly annotationSite?: AnnotationSite;
}

export interface LintReport {
  readonly calls: readonly CallReport[];
  readonly findings: readonly Finding[];
}

export interface Linter {
  /** Never throws: any text, however broken, gives a report. */
  lint(text: string, options?: LintOptions): LintReport;
  /** A workspace over these files (path → text) for `LintOptions.workspace`; dispose it when done. */
  workspace(files: ReadonlyMap<string, string>): PythonWorkspace;
}
