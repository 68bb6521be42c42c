/**
 * The read room: a patient's Bundle in, typed evidence out (Evidence: the plan, its current orders and
 * their replaces chains, the days of daily pain and check-ins, sessions per order, red flags, tolerance
 * tests, the policy), with every problem found in the input gathered as issues. Imports only dose/.
 */
export * from './days';
export * from './evidence';
export * from './evidence-types';
export * from './orders';
export { exerciseDisplay } from './exercise-catalogue';
