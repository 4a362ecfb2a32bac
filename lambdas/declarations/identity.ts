// The user pool's rules: the deployed pool and the local one accept exactly the same passwords.

export const PASSWORD_POLICY = {
  minLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: true,
  temporaryPasswordValidityDays: 3,
} as const;

/**
 * Members of this Cognito group may take down and restore any link (their access tokens carry it in
 * `cognito:groups`). The CDK stack creates the group; an administrator adds people to it.
 */
export const OPERATORS_GROUP = 'operators';
