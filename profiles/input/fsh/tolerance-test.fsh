// A baseline tolerance trial of one exercise order (implementation-guide.md "gradus-tolerance-test").

Profile: GradusToleranceTest
Parent: Observation
Id: gradus-tolerance-test
Title: "Gradus tolerance test"
Description: "A baseline tolerance trial of one prescribed exercise: how long (minutes or seconds) or how many repetitions the patient managed before pain or fatigue stopped them. In the baseline phase, three or more tests set the order's starting dose at 75% of their mean: a time in min or s sets the duration, a count in {repetitions} sets the reps (Lindstrom 1992; Lambeek 2007)."
* . ^short = "Baseline tolerance trial"
* code MS
* code = GradusCS#tolerance-test
* insert PatientSubject
* basedOn 1..1 MS
* basedOn only Reference(GradusExerciseOrder)
* basedOn ^short = "The exercise order tested"
* effective[x] 1..1 MS
* effective[x] only dateTime or Period
* effective[x] ^short = "When the trial took place (must be after the order's authoredOn to count)"
* value[x] 1..1 MS
* value[x] only Quantity
* value[x] obeys gradus-tolerance-test-1
* value[x] ^short = "Tolerance in min, s or {repetitions}"
