import { SluiceError } from '../../contract/errors.ts';

const DYNAMODB = 'com.amazonaws.dynamodb.v20120810#';

/** An error answered on the wire as DynamoDB answers it: an HTTP status and a JSON body with `__type`. */
export class ServiceError extends SluiceError {
  override readonly name = 'ServiceError';
  readonly status: number;
  /** The full `__type`, e.g. `com.amazonaws.dynamodb.v20120810#ResourceNotFoundException`. */
  readonly type: string;
  /** More members of the body (a transaction's `CancellationReasons`). */
  readonly details: Record<string, unknown>;

  constructor(status: number, type: string, message: string, details: Record<string, unknown> = {}) {
    super('DYNAMODB_SERVICE_ERROR', message, { permanent: status < 500 });
    this.status = status;
    this.type = type;
    this.details = details;
  }

  /** The short name (`ResourceNotFoundException`), as the SDK reports it. */
  get shortType(): string {
    return this.type.slice(this.type.indexOf('#') + 1);
  }

  toBody(): Record<string, unknown> {
    return { __type: this.type, message: this.message, ...this.details };
  }
}

export const validationError = (message: string) => new ServiceError(400, 'com.amazon.coral.validate#ValidationException', message);
export const resourceNotFound = (message: string) => new ServiceError(400, `${DYNAMODB}ResourceNotFoundException`, message);
export const dynamodbError = (name: string, message: string, details: Record<string, unknown> = {}) => new ServiceError(400, `${DYNAMODB}${name}`, message, details);
export const internalServerError = (message: string) => new ServiceError(500, `${DYNAMODB}InternalServerError`, message);
export const serializationError = () => new ServiceError(400, 'com.amazon.coral.service#SerializationException', 'Start of structure or map found where not expected');
export const unknownOperation = () => new ServiceError(400, 'com.amazon.coral.service#UnknownOperationException', 'Unknown operation');
