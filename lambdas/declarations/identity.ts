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
 * The Cognito group whose members may disable and re-enable any link. Its members' access tokens
 * carry it in `cognito:groups` (on AWS and in cognito-local alike).
 */
export const OPERATORS_GROUP = 'operators';
