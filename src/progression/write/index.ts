/**
 * The write room: an Evaluation in, FHIR out: the transaction Bundle that applies it (new orders that
 * replace the old, order and plan updates guarded by If-Match, a Provenance per decision with its
 * evaluation key), and the split of that transaction for servers that need it. Imports dose/ only.
 */
export * from './output';
export * from './split-write';
export { doseExtensions, doseNarrative } from './order-output';
export { provenanceRecord, type ProvenanceRecord } from './provenance';
