// A red-flag symptom report (implementation-guide.md "gradus-symptom-alert").

Profile: GradusSymptomAlert
Parent: Observation
Id: gradus-symptom-alert
Title: "Gradus symptom alert"
Description: "A report of whether the patient has a red-flag symptom (e.g. saddle anaesthesia, chest pain on exertion, fainting). A symptom reported present (value true) in the last 14 days makes the engine refer the patient: the program goes to phase referred and every current exercise order is put on hold until a clinician reviews it. Reporting false records that the patient was asked and said no."
* . ^short = "Red-flag symptom report"
* code MS
* code from RedFlagVS (required)
* code ^short = "The red-flag symptom asked about"
* insert PatientSubject
* effective[x] 1..1 MS
* effective[x] only dateTime
* effective[x] ^short = "When the symptom was reported"
* value[x] 1..1 MS
* value[x] only boolean
* value[x] ^short = "true: the symptom is present"
