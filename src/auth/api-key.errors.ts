import type { ProblemType } from '../http/problem-details.js';

/** Errors of API-key management, each with a stable code; `API_KEY_PROBLEMS` says what it means over HTTP. */
export abstract class ApiKeyError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class ApiKeyNameTakenError extends ApiKeyError {
  readonly code = 'API_KEYS.NAME_TAKEN';

  constructor(name: string, revoked: boolean) {
    super(
      revoked
        ? `The name "${name}" belonged to a key that was revoked; events it recorded carry it, so it is not ` +
            'given to another key. Choose another name.'
        : `A key named "${name}" exists. Choose another name, or revoke that key first if it replaces it.`,
    );
  }
}

export class ApiKeyNotFoundError extends ApiKeyError {
  readonly code = 'API_KEYS.NOT_FOUND';

  constructor(name: string, revokedAt?: Date) {
    super(
      revokedAt
        ? `The key "${name}" was already revoked (${revokedAt.toISOString()}).`
        : `No key is named "${name}".`,
    );
  }
}

export class LastAdminKeyError extends ApiKeyError {
  readonly code = 'API_KEYS.LAST_ADMIN';

  constructor(name: string) {
    super(
      `"${name}" is the last active admin key: revoking it would leave nobody able to manage keys. ` +
        'Create another admin key first.',
    );
  }
}

export class KeysFromEnvironmentError extends ApiKeyError {
  readonly code = 'API_KEYS.FROM_ENVIRONMENT';

  constructor() {
    super(
      'This server takes its keys from the API_KEYS environment variable, so none can be created or revoked ' +
        'here: change API_KEYS and restart every instance.',
    );
  }
}

type ApiKeyErrorCode = (
  ApiKeyNameTakenError | ApiKeyNotFoundError | LastAdminKeyError | KeysFromEnvironmentError
)['code'];

/** What each error of API-key management means over HTTP; `AuthModule` registers it. */
export const API_KEY_PROBLEMS: Readonly<Record<ApiKeyErrorCode, ProblemType>> = {
  'API_KEYS.NAME_TAKEN': { status: 409, slug: 'api-key-name-taken', title: 'Key name taken' },
  'API_KEYS.NOT_FOUND': { status: 404, slug: 'api-key-not-found', title: 'No such key' },
  'API_KEYS.LAST_ADMIN': { status: 409, slug: 'last-admin-key', title: 'Last admin key' },
  'API_KEYS.FROM_ENVIRONMENT': {
    status: 409,
    slug: 'api-keys-from-environment',
    title: 'Keys come from the environment',
  },
};
