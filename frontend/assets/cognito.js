// Cognito's JSON API called directly with fetch: no SDK, so the page stays small and has no build step.
// Works against AWS and against cognito-local, which speak the same protocol.

import { MIN_PASSWORD_LENGTH } from './password.js';

/** A Cognito error with a sentence a person can act on; `code` is Cognito's exception name. */
export class CognitoError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = 'CognitoError';
    this.code = code;
  }
}

const TOO_MANY = 'Too many attempts. Please wait a few minutes, then try again.';

/** @typedef {'signIn' | 'signUp' | 'confirm' | 'resend' | 'refresh' | 'forgot' | 'reset' | 'change' | 'default'} Action */

/**
 * Human messages per Cognito exception. Some depend on what the user was doing: cognito-local answers
 * a wrong password with InvalidPasswordException, which on sign-up means "password too weak".
 * @type {Record<string, Partial<Record<Action, string>>>}
 */
const MESSAGES = {
  NotAuthorizedException: {
    signIn: 'Wrong e-mail or password. Please try again.',
    refresh: 'Your session has expired. Please sign in again.',
    confirm: 'This account is already confirmed. You can sign in.',
    resend: 'This account is already confirmed. You can sign in.',
    forgot: 'This account cannot reset its password yet: confirm it first, or ask an operator.',
    change: 'Your current password is not right. Please try again.',
    default: 'You are not allowed to do that. Please sign in again.',
  },
  UserNotFoundException: {
    signIn: 'Wrong e-mail or password. Please try again.',
    default: 'There is no account with that e-mail address. Check it, or sign up.',
  },
  UserNotConfirmedException: {
    default: 'This account is not confirmed yet. Enter the code we e-mailed you.',
  },
  UsernameExistsException: {
    default: 'An account with this e-mail address already exists. Sign in instead.',
  },
  InvalidPasswordException: {
    signIn: 'Wrong e-mail or password. Please try again.',
    // cognito-local's answer to a wrong current password; AWS's to a new one breaking the policy.
    change: 'Your current password is not right, or the new one does not meet the rules.',
    default: `That password does not meet the rules: at least ${MIN_PASSWORD_LENGTH} characters with upper- and lowercase letters, a digit and a symbol.`,
  },
  CodeMismatchException: {
    default: 'That code is not right. Check the e-mail and type the code again.',
  },
  ExpiredCodeException: {
    reset: 'That code has expired. Press "Send me a code" to get a fresh one.',
    default: 'That code has expired. Press "Send a new code" to get a fresh one.',
  },
  CodeDeliveryFailureException: {
    default: 'We could not send the code e-mail. Please try again in a moment.',
  },
  InvalidParameterException: {
    signUp: 'Please enter a valid e-mail address and password.',
    default: 'Please check what you typed and try again.',
  },
  PasswordResetRequiredException: {
    default: 'This account needs a password reset before it can sign in.',
  },
  LimitExceededException: { default: TOO_MANY },
  TooManyRequestsException: { default: TOO_MANY },
  TooManyFailedAttemptsException: { default: TOO_MANY },
  'CognitoLocal#Unsupported': {
    resend: 'The local sign-in emulator cannot resend codes: the first code is printed on its console.',
    default: 'The local sign-in emulator does not support this.',
  },
};

/**
 * @param {string} code
 * @param {Action} action
 */
export function messageFor(code, action) {
  const messages = MESSAGES[code];
  return messages?.[action] ?? messages?.default ?? `Something went wrong (${code}). Please try again.`;
}

export const NETWORK_MESSAGE = 'Cannot reach the sign-in service. Check your connection and try again.';

/**
 * @typedef {{ accessToken: string, idToken: string, refreshToken: string }} Tokens
 * @typedef {{ endpoint: string, clientId: string }} CognitoConfig
 */

export class CognitoClient {
  /** @param {CognitoConfig} config */
  constructor(config) {
    this.endpoint = config.endpoint;
    this.clientId = config.clientId;
  }

  /**
   * @param {string} operation
   * @param {Record<string, unknown>} body
   * @param {Action} action
   * @param {{ withClient?: boolean }} [options] operations authorised by an access token take no client id
   */
  async call(operation, body, action, { withClient = true } = {}) {
    let response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
        },
        body: JSON.stringify(withClient ? { ClientId: this.clientId, ...body } : body),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch {
      throw new CognitoError('NetworkError', NETWORK_MESSAGE);
    }
    const payload = await response.json().catch(() => ({}));
    if (response.ok) return payload;
    // AWS may prefix the type ("…#NotAuthorizedException"); cognito-local's own errors keep theirs.
    const rawType = String(payload.__type ?? response.headers.get('x-amzn-errortype') ?? `HTTP ${response.status}`);
    const code = rawType.startsWith('CognitoLocal#') ? rawType : (rawType.split('#').pop()?.split(':')[0] ?? rawType);
    throw new CognitoError(code, messageFor(code, action));
  }

  /** @param {string} email @param {string} password */
  signUp(email, password) {
    return this.call(
      'SignUp',
      { Username: email, Password: password, UserAttributes: [{ Name: 'email', Value: email }] },
      'signUp',
    );
  }

  /** @param {string} email @param {string} code */
  confirmSignUp(email, code) {
    return this.call('ConfirmSignUp', { Username: email, ConfirmationCode: code }, 'confirm');
  }

  /** @param {string} email */
  resendCode(email) {
    return this.call('ResendConfirmationCode', { Username: email }, 'resend');
  }

  /**
   * @param {string} email @param {string} password
   * @returns {Promise<Tokens>}
   */
  async signIn(email, password) {
    const result = await this.call(
      'InitiateAuth',
      { AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } },
      'signIn',
    );
    if (!result.AuthenticationResult) {
      throw new CognitoError(
        result.ChallengeName ?? 'Challenge',
        'This account needs an extra sign-in step that this page does not support yet.',
      );
    }
    return {
      accessToken: result.AuthenticationResult.AccessToken,
      idToken: result.AuthenticationResult.IdToken,
      refreshToken: result.AuthenticationResult.RefreshToken,
    };
  }

  /**
   * Cognito does not rotate the refresh token here, so the old one is kept.
   * @param {string} refreshToken
   * @returns {Promise<Tokens>}
   */
  async refresh(refreshToken) {
    const result = await this.call(
      'InitiateAuth',
      { AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } },
      'refresh',
    );
    const auth = result.AuthenticationResult ?? {};
    if (!auth.AccessToken)
      throw new CognitoError('NotAuthorizedException', messageFor('NotAuthorizedException', 'refresh'));
    return {
      accessToken: auth.AccessToken,
      idToken: auth.IdToken,
      refreshToken: auth.RefreshToken ?? refreshToken,
    };
  }

  /** Revokes the refresh token so a copy of it is useless after sign-out. @param {string} refreshToken */
  revoke(refreshToken) {
    return this.call('RevokeToken', { Token: refreshToken }, 'default');
  }

  /**
   * Sends a password-reset code. An unknown address looks the same as a known one, so the form
   * cannot be used to find out who has an account.
   * @param {string} email
   */
  async forgotPassword(email) {
    try {
      await this.call('ForgotPassword', { Username: email }, 'forgot');
    } catch (error) {
      if (error.code !== 'UserNotFoundException') throw error;
    }
  }

  /** @param {string} email @param {string} code @param {string} password */
  confirmForgotPassword(email, code, password) {
    return this.call('ConfirmForgotPassword', { Username: email, ConfirmationCode: code, Password: password }, 'reset');
  }

  /** @param {string} accessToken @param {string} previous @param {string} proposed */
  changePassword(accessToken, previous, proposed) {
    return this.call(
      'ChangePassword',
      { AccessToken: accessToken, PreviousPassword: previous, ProposedPassword: proposed },
      'change',
      { withClient: false },
    );
  }
}
