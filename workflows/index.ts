// The workflows the saga worker registers (its workflowsPath points here).
export { scheduleConsultation } from './schedule-consultation';
export { cancelConsultation } from './cancel-consultation';
