// A SMART goal of the exercise program (implementation-guide.md "gradus-exercise-goal").

Profile: GradusExerciseGoal
Parent: Goal
Id: gradus-exercise-goal
Title: "Gradus exercise goal"
Description: "A SMART goal of the exercise program, agreed with the patient: what they want to be able to do (description), how it is measured (target.measure, e.g. a Patient-Specific Functional Scale item or a pain rating), the value to reach (target.detail[x]), and by when (target.dueDate). Meaningful change: pain 2 points or 30%, PSFS 2 points."
* . ^short = "SMART goal of the exercise program"
* lifecycleStatus MS
* description MS
* description ^short = "What the patient wants to achieve, in their words"
* insert PatientSubject
* target 1..* MS
* target.measure 1..1 MS
* target.measure ^short = "What is measured (e.g. LOINC code of the scale)"
* target.detail[x] 1..1 MS
* target.detail[x] ^short = "The value to reach"
* target.due[x] 1..1 MS
* target.due[x] only date
* target.due[x] ^short = "Due date (dueDate)"
