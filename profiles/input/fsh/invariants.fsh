// FHIRPath invariants, ids `gradus-<profile or extension id>-<n>` (implementation-guide.md "Terminology", invariants).
// Each one sits on the element it is about, so a failure is reported there. Unit checks are written
// as where(...).exists() / all(...) so that they yield false, never empty, when a part is missing.

Invariant: gradus-exercise-dose-1
Description: "A dose states at least one of sets, reps or duration."
Severity: #error
Expression: "extension.where(url = 'sets' or url = 'reps' or url = 'duration').exists()"

Invariant: gradus-exercise-dose-2
Description: "The load is in kilograms (UCUM kg)."
Severity: #error
Expression: "where(system = 'http://unitsofmeasure.org' and code = 'kg').exists()"

Invariant: gradus-exercise-dose-3
Description: "The duration is in minutes (UCUM min, per session) or seconds (UCUM s, hold time per repetition)."
Severity: #error
Expression: "where(system = 'http://unitsofmeasure.org' and (code = 'min' or code = 's')).exists()"

Invariant: gradus-exercise-dose-4
Description: "The heart-rate zone has a bound, and its bounds are in beats per minute (UCUM /min)."
Severity: #error
Expression: "(low.exists() or high.exists()) and low.all(system = 'http://unitsofmeasure.org' and code = '/min') and high.all(system = 'http://unitsofmeasure.org' and code = '/min')"

Invariant: gradus-exercise-dose-5
Description: "The RPE target has a bound, and its bounds are scores (UCUM {score}) from 0 to 10."
Severity: #error
Expression: "(low.exists() or high.exists()) and low.all(system = 'http://unitsofmeasure.org' and code = '{score}' and value >= 0 and value <= 10) and high.all(system = 'http://unitsofmeasure.org' and code = '{score}' and value >= 0 and value <= 10)"

Invariant: gradus-exercise-order-1
Description: "The order's intent is plan, order or proposal."
Severity: #error
Expression: "$this = 'plan' or $this = 'order' or $this = 'proposal'"

Invariant: gradus-exercise-session-1
Description: "A session's status is final or amended."
Severity: #error
Expression: "$this = 'final' or $this = 'amended'"

Invariant: gradus-exercise-session-2
Description: "The load lifted is in kilograms (UCUM kg)."
Severity: #error
Expression: "where(system = 'http://unitsofmeasure.org' and code = 'kg').exists()"

Invariant: gradus-exercise-session-3
Description: "The exercise duration is in minutes (UCUM min)."
Severity: #error
Expression: "where(system = 'http://unitsofmeasure.org' and code = 'min').exists()"

Invariant: gradus-exercise-session-4
Description: "The mean heart rate is in beats per minute (UCUM /min)."
Severity: #error
Expression: "where(system = 'http://unitsofmeasure.org' and code = '/min').exists()"

Invariant: gradus-daily-check-in-1
Description: "A check-in records at least one of its components (pain now, morning stiffness, fatigue, mood, sleep duration, confidence, steps)."
Severity: #error
Expression: "component.code.coding.where((system = 'http://loinc.org' and (code = '72514-3' or code = '93832-4' or code = '41950-7')) or (system = 'https://gradus.health/fhir/CodeSystem/gradus' and (code = 'morning-stiffness' or code = 'fatigue' or code = 'mood' or code = 'confidence'))).exists()"

Invariant: gradus-daily-check-in-2
Description: "The sleep duration is in hours (UCUM h)."
Severity: #error
Expression: "where(system = 'http://unitsofmeasure.org' and code = 'h').exists()"

Invariant: gradus-daily-check-in-3
Description: "The step count is per day (UCUM /d)."
Severity: #error
Expression: "where(system = 'http://unitsofmeasure.org' and code = '/d').exists()"

Invariant: gradus-tolerance-test-1
Description: "The tolerance is in minutes (UCUM min), seconds (UCUM s) or repetitions (UCUM {repetitions})."
Severity: #error
Expression: "where(system = 'http://unitsofmeasure.org' and (code = 'min' or code = 's' or code = '{repetitions}')).exists()"

Invariant: gradus-progression-provenance-1
Description: "The activity is UPDATE (v3-DataOperation) when the decision changed a resource, and absent for hold."
Severity: #error
Expression: "iif(reason.coding.where(system = 'https://gradus.health/fhir/CodeSystem/progression-decision' and code = 'hold').exists(), activity.empty(), activity.exists())"
