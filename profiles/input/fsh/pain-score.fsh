// A stand-alone pain rating (implementation-guide.md "gradus-pain-score").

Profile: GradusPainScore
Parent: Observation
Id: gradus-pain-score
Title: "Gradus pain score"
Description: "A stand-alone pain rating on the 0-10 numeric rating scale (LOINC 72514-3), as EHR flowsheets record it. It counts as daily pain like the check-in's pain component (the earliest rating of a day is that day's pain). The profile takes valueInteger only; the engine still reads any Observation coded 72514-3, including a valueQuantity in {score}, whatever its profile."
* . ^short = "Pain score 0-10"
* code MS
* code = $LNC#72514-3
* insert PatientSubject
* effective[x] 1..1 MS
* effective[x] only dateTime
* effective[x] ^short = "When the pain was rated"
* value[x] 1..1 MS
* value[x] only integer
* value[x] ^minValueInteger = 0
* value[x] ^maxValueInteger = 10
* value[x] ^short = "Pain on the 0-10 numeric rating scale (0 = none, 10 = worst imaginable)"
