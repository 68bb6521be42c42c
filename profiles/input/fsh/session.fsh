// One performed session of one exercise order (implementation-guide.md "gradus-exercise-session").

Profile: GradusExerciseSession
Parent: Observation
Id: gradus-exercise-session
Title: "Gradus exercise session"
Description: "One performed session of one prescribed exercise, usually logged by the patient: what was done (sets, repetitions in the last set, load, minutes) and how it went (mean heart rate, perceived exertion, worst pain during and pain right after). The engine compares each session with the order's dose and the pain rules to decide whether the dose progresses, holds or regresses. A component the session does not record is not held against it."
* . ^short = "Performed exercise session"
* status MS
* status obeys gradus-exercise-session-1
* status ^short = "final | amended"
* category 1..* MS
* category ^slicing.discriminator.type = #pattern
* category ^slicing.discriminator.path = "$this"
* category ^slicing.rules = #open
* category ^slicing.description = "Slice by the category's coding; other categories are allowed."
* category contains activity 1..1 MS
* category[activity] = $ObsCat#activity
* code MS
* code = GradusCS#exercise-session
* insert PatientSubject
* basedOn 1..1 MS
* basedOn only Reference(GradusExerciseOrder)
* basedOn ^short = "The exercise order this session performed"
* effective[x] 1..1 MS
* effective[x] only dateTime or Period
* effective[x] ^short = "When the session took place"
* value[x] 0..0
* value[x] ^short = "Not used: the session's data are in its components"
* insert ComponentsByCode
* component contains
    setsCompleted 0..1 MS and
    repsFinalSet 0..1 MS and
    loadLifted 0..1 MS and
    duration 0..1 MS and
    heartRate 0..1 MS and
    rpe 0..1 MS and
    painDuring 0..1 MS and
    painAfter 0..1 MS
* component[setsCompleted].code = GradusCS#sets-completed
* component[setsCompleted] ^short = "Sets completed"
* insert CountComponent(setsCompleted)
* component[repsFinalSet].code = GradusCS#reps-final-set
* component[repsFinalSet] ^short = "Repetitions achieved in the last set"
* insert CountComponent(repsFinalSet)
* component[loadLifted].code = GradusCS#load-lifted
* component[loadLifted] ^short = "External load (kg)"
* insert QuantityComponent(loadLifted, gradus-exercise-session-2)
* component[duration].code = $LNC#55411-3
* component[duration] ^short = "Exercise duration (min)"
* insert QuantityComponent(duration, gradus-exercise-session-3)
* component[heartRate].code = $LNC#8867-4
* component[heartRate] ^short = "Mean heart rate during the session (/min)"
* insert QuantityComponent(heartRate, gradus-exercise-session-4)
* component[rpe].code = $LNC#82289-0
* component[rpe] ^short = "Rating of perceived exertion (0-10)"
* insert ScoreComponent(rpe)
* component[painDuring].code = GradusCS#pain-during
* component[painDuring] ^short = "Worst pain during the session (0-10)"
* insert ScoreComponent(painDuring)
* component[painAfter].code = GradusCS#pain-after
* component[painAfter] ^short = "Pain right after the session (0-10)"
* insert ScoreComponent(painAfter)
