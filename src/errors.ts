/**
 * Typed failures. Every way the step can fail is an ActionError with an `error-code`, a message that says
 * what failed and why, and a hint that says what to change. Report turns it into outputs and one ::error:: line.
 */

/**
 * Codes of the action's own failures, every one it can emit; AWS failures use the AWS error name as their code
 * (the error catalog lists the names it has a hint for). docs/troubleshooting.md has a section for each.
 */
export const OWN_ERROR_CODES = [
  'InvalidInput',
  'IdTokenPermissionMissing',
  'OidcTokenFailed',
  'CredentialsNotFound',
  'NetworkError',
  'UnexpectedResponse',
  'BadRequest',
  'BucketNotVersioned',
  'FirmwareChanged',
  'ExistingUpdateDiffers',
  'CREATE_FAILED',
  'DELETE_FAILED',
  'DELETE_IN_PROGRESS',
  'RolloutInProgress',
  'WaitTimeout',
  'RolloutFailed',
  'RolloutCanceled',
  'RolloutTimeout',
  'Canceled',
  'InternalError',
] as const;

export type OwnErrorCode = (typeof OWN_ERROR_CODES)[number];

/** An own code, or the name AWS gave (AccessDenied, ThrottlingException, NoSuchKey, ...). */
export type ErrorCode = OwnErrorCode | (string & {});

/** One problem with one input: reported together with every other problem found. */
export interface InputProblem {
  /** The workflow input the problem is about, e.g. `rollout-config`. */
  input: string;
  /** What is wrong and what would be valid, without the input name. */
  message: string;
}

export interface ActionErrorOptions {
  /** What to change so the next run succeeds. */
  hint?: string;
  cause?: unknown;
}

export class ActionError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: ActionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ActionError';
    this.code = code;
    this.hint = options.hint;
  }
}

/** Every input problem at once, as one InvalidInput failure. */
export class InvalidInputError extends ActionError {
  readonly problems: readonly InputProblem[];

  constructor(problems: readonly InputProblem[]) {
    const lines = problems.map((p) => `${p.input}: ${p.message}`);
    super(
      'InvalidInput',
      problems.length === 1
        ? `Invalid input ${lines[0]}`
        : `${problems.length} invalid inputs: ${lines.join('; ')}`,
      { hint: 'Fix the inputs named above in the workflow step; nothing was changed in AWS.' },
    );
    this.problems = problems;
  }
}

/** What to do about a failure that neither AWS nor the inputs explain. */
export const BUG_HINT =
  'This is a bug in the action; please report it with the step log (re-run with debug logging for the stack trace).';

/** The reason the step's cancellation signal carries: the runner asked the step to stop. */
export function canceled(how: string): ActionError {
  return new ActionError('Canceled', `The step was canceled (${how}).`, {
    hint: 'Nothing more is sent to AWS; the summary says what already exists there. Run the step again to finish the release: a re-run finds what this one made.',
  });
}

/** `text` as a sentence: a full stop added unless it already ends with one (or with ! or ?). */
export function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
