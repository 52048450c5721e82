/** The answer to one authorization request. */
export interface Decision {
  /** True only when Cedar allowed and nothing in the evaluation failed. */
  allowed: boolean;
  /** `@id`s of the policies that determined the decision; empty for a default deny. */
  reasons: string[];
  /** Why the request could not be evaluated cleanly; any entry means `allowed` is false. */
  errors: string[];
}
