import { MyelinError } from '@myelin/errors';

/**
 * Thrown by a delivery that MLflow cannot accept whatever happens (an alias MLflow reserves or
 * cannot spell): the row is marked refused at once, reported, and the rest of the outbox goes on.
 */
export class DeliveryRefused extends MyelinError {
  constructor(message: string) {
    super('MYELIN_ERR_MLFLOW', message);
    this.name = 'DeliveryRefused';
  }
}
