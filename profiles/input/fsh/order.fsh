// One prescribed exercise (implementation-guide.md "gradus-exercise-order").

Profile: GradusExerciseOrder
Parent: ServiceRequest
Id: gradus-exercise-order
Title: "Gradus exercise order"
Description: "One prescribed exercise of an exercise plan with its current dose: which exercise, in which domain, how often per week, and how much per session (sets, repetitions, load, duration, intensity). A change of dose is a new order that replaces the previous one, so the chain of orders is the exercise's dose history; authoredOn says when each dose took effect."
* . ^short = "Prescribed exercise with its current dose"
* extension contains ExerciseDose named exerciseDose 1..1 MS
* extension[exerciseDose] ^short = "The dose: sets, reps, load, duration, intensity, ladder step"
* status MS
* status ^short = "active for the current dose; completed once replaced; on-hold after a referral"
* intent MS
* intent obeys gradus-exercise-order-1
* intent ^short = "plan | order | proposal"
* replaces MS
* replaces only Reference(GradusExerciseOrder)
* replaces ^short = "The order (previous dose) this one supersedes"
* replaces ^definition = "The exercise order whose dose this order changed. Following replaces back gives the exercise's dose history (used to regress to the last lower dose, and to restore pre-flare and pre-deload doses)."
* basedOn 1..1 MS
* basedOn only Reference(GradusExercisePlan)
* basedOn ^short = "The exercise plan this order belongs to"
* category 2..* MS
* category ^slicing.discriminator.type = #pattern
* category ^slicing.discriminator.path = "$this"
* category ^slicing.rules = #open
* category ^slicing.description = "Slice by the category's coding: SNOMED CT exercise therapy, and the exercise domain."
* category contains therapy 1..1 MS and domain 1..1 MS
* category[therapy] = $SCT#229065009
* category[therapy] ^short = "SNOMED CT 229065009 |Exercise therapy|"
* category[domain] ^patternCodeableConcept.coding.system = "https://gradus.health/fhir/CodeSystem/exercise-domain"
* category[domain] from ExerciseDomainVS (required)
* category[domain] ^short = "strength | mobility | endurance | neuromotor"
* category[domain] ^definition = "The exercise domain, which decides how the dose is expressed and progressed: strength by load, reps then sets; endurance by minutes; mobility and neuromotor by hold time or reps."
* code 1..1 MS
* code from ExerciseVS (extensible)
* code ^short = "The exercise (Gradus catalogue when a code fits)"
* subject 1..1 MS
* subject only Reference(Patient)
* subject ^short = "The patient doing the exercise"
* occurrence[x] 1..1 MS
* occurrence[x] only Timing
* occurrence[x] ^short = "Sessions per week: repeat.frequency per 1 wk"
* occurrenceTiming.repeat 1..1 MS
* occurrenceTiming.repeat.frequency 1..1 MS
* occurrenceTiming.repeat.frequency ^short = "Sessions per week"
* occurrenceTiming.repeat.period 1..1 MS
* occurrenceTiming.repeat.period = 1
* occurrenceTiming.repeat.periodUnit 1..1 MS
* occurrenceTiming.repeat.periodUnit = #wk
* occurrenceTiming.repeat.dayOfWeek MS
* occurrenceTiming.repeat.dayOfWeek ^short = "Preferred days (optional)"
* authoredOn 1..1 MS
* authoredOn ^short = "When this dose took effect"
* authoredOn ^definition = "When this order, and so this dose, took effect. Sessions count towards the order from here on, and \"7 days after the last change\" counts from here."
* patientInstruction MS
* patientInstruction ^short = "How to do the exercise, in the patient's words"
