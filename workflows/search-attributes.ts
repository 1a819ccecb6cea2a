import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Keys of the search attributes in temporal.config.ts, typed for workflows and clients. */
export const searchAttributes = {
  consultationId: defineSearchAttributeKey('ConsultationId', SearchAttributeType.KEYWORD),
  patientId: defineSearchAttributeKey('PatientId', SearchAttributeType.KEYWORD),
  physicianId: defineSearchAttributeKey('PhysicianId', SearchAttributeType.KEYWORD),
  sagaStatus: defineSearchAttributeKey('SagaStatus', SearchAttributeType.KEYWORD),
};
