// The patient's daily self-monitoring log (implementation-guide.md "gradus-daily-check-in").

Profile: GradusDailyCheckIn
Parent: Observation
Id: gradus-daily-check-in
Title: "Gradus daily check-in"
Description: "The patient's daily self-monitoring log, filled in on waking and describing that day's morning: pain now, morning stiffness, fatigue, mood, last night's sleep, confidence to move, and steps over the last 24 hours. Daily pain drives the baseline, flare and next-morning rules; fatigue drives an early deload. Each component is optional, but a check-in records at least one."
* . ^short = "Daily self-monitoring log"
* obeys gradus-daily-check-in-1
* category 1..* MS
* category ^slicing.discriminator.type = #pattern
* category ^slicing.discriminator.path = "$this"
* category ^slicing.rules = #open
* category ^slicing.description = "Slice by the category's coding; other categories are allowed."
* category contains survey 1..1 MS
* category[survey] = $ObsCat#survey
* code MS
* code = GradusCS#daily-check-in
* insert PatientSubject
* effective[x] 1..1 MS
* effective[x] only dateTime
* effective[x] ^short = "The morning of the day the check-in describes"
* value[x] 0..0
* value[x] ^short = "Not used: the check-in's data are in its components"
* insert ComponentsByCode
* component contains
    pain 0..1 MS and
    morningStiffness 0..1 MS and
    fatigue 0..1 MS and
    mood 0..1 MS and
    sleepDuration 0..1 MS and
    confidence 0..1 MS and
    steps 0..1 MS
* component[pain].code = $LNC#72514-3
* component[pain] ^short = "Pain now, on waking (0-10)"
* insert ScoreComponent(pain)
* component[morningStiffness].code = GradusCS#morning-stiffness
* component[morningStiffness] ^short = "Morning stiffness (0-10)"
* insert ScoreComponent(morningStiffness)
* component[fatigue].code = GradusCS#fatigue
* component[fatigue] ^short = "Fatigue (0-10)"
* insert ScoreComponent(fatigue)
* component[mood].code = GradusCS#mood
* component[mood] ^short = "Mood (0-10, 10 best)"
* insert ScoreComponent(mood)
* component[sleepDuration].code = $LNC#93832-4
* component[sleepDuration] ^short = "Sleep duration (h)"
* insert QuantityComponent(sleepDuration, gradus-daily-check-in-2)
* component[confidence].code = GradusCS#confidence
* component[confidence] ^short = "Confidence to move (0-10)"
* insert ScoreComponent(confidence)
* component[steps].code = $LNC#41950-7
* component[steps] ^short = "Steps in 24 hours (/d)"
* insert QuantityComponent(steps, gradus-daily-check-in-3)
