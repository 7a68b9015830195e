/**
 * Thrown by a delivery that must wait for another outbox row first (a version whose MLflow run is
 * still queued, an alias whose version is). The row is released without counting a try.
 */
export class DeliveryDeferred extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'DeliveryDeferred';
  }
}
