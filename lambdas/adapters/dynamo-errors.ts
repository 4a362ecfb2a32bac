// Telling DynamoDB's failures apart by name: the SDK's exception classes are not shared across copies
// of the client (tests, bundles), their names are.

export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
