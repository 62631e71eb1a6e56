/**
 * Typed failures. Every way the step can fail is an ActionError with an `error-code`, a message that says
 * what failed and why, and a hint that says what to change. Report turns it into outputs and one ::error:: line.
 */

/** Codes of the action's own failures; AWS failures use the AWS error name as their code. */
type OwnErrorCode =
  | 'InvalidInput'
  | 'IdTokenPermissionMissing'
  | 'OidcTokenFailed'
  | 'NetworkError'
  | 'BucketNotVersioned'
  | 'ExistingUpdateDiffers'
  | 'CREATE_FAILED'
  | 'DELETE_FAILED'
  | 'WaitTimeout';

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
  /** Anything already created in AWS before the failure, for the summary. */
  created?: { otaUpdateId: string; otaUpdateArn?: string };
}

export class ActionError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly created: ActionErrorOptions['created'];

  constructor(code: ErrorCode, message: string, options: ActionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ActionError';
    this.code = code;
    this.hint = options.hint;
    this.created = options.created;
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
