// Rule sets shared by the Observation profiles.

// Slices Observation.component by the pattern on its code; other components are allowed.
RuleSet: ComponentsByCode
* component MS
* component ^slicing.discriminator.type = #pattern
* component ^slicing.discriminator.path = "code"
* component ^slicing.rules = #open
* component ^slicing.description = "Slice by the component's code; other components are allowed."

// A component whose value is a 0-10 score (integer).
RuleSet: ScoreComponent(slice)
* component[{slice}].value[x] 1..1 MS
* component[{slice}].value[x] only integer
* component[{slice}].value[x] ^minValueInteger = 0
* component[{slice}].value[x] ^maxValueInteger = 10

// A component whose value is a count (integer, 0 or more).
RuleSet: CountComponent(slice)
* component[{slice}].value[x] 1..1 MS
* component[{slice}].value[x] only integer
* component[{slice}].value[x] ^minValueInteger = 0

// A component whose value is a Quantity in a unit checked by an invariant.
RuleSet: QuantityComponent(slice, invariant)
* component[{slice}].value[x] 1..1 MS
* component[{slice}].value[x] only Quantity
* component[{slice}].value[x] obeys {invariant}

// subject 1..1 Reference(Patient), as on every Gradus profile of a patient's data.
RuleSet: PatientSubject
* subject 1..1 MS
* subject only Reference(Patient)
* subject ^short = "The patient"
