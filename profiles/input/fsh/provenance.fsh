// Why a plan changed (implementation-guide.md "gradus-progression-provenance").

Profile: GradusProgressionProvenance
Parent: Provenance
Id: gradus-progression-provenance
Title: "Gradus progression provenance"
Description: "Why the progression engine changed (or kept) an exercise order or a plan: the decision (reason), the rationale in words naming the rule and the numbers used, the Observations it used as evidence, the engine as author and, when a clinician approved the change, the clinician as verifier. One per evaluated order, plus one for the plan when its phase changed. A hold changes nothing, so it has no activity; it carries an evaluation key in meta.tag so that re-running on the same data creates nothing new (ifNoneExist)."
* . ^short = "Why a progression decision was made"
* obeys gradus-progression-provenance-1
* meta.tag ^slicing.discriminator.type = #pattern
* meta.tag ^slicing.discriminator.path = "system"
* meta.tag ^slicing.rules = #open
* meta.tag contains evaluationKey 0..1 MS
* meta.tag[evaluationKey].system 1..1
* meta.tag[evaluationKey].system = "https://gradus.health/fhir/CodeSystem/evaluation-key"
* meta.tag[evaluationKey].code 1..1
* meta.tag[evaluationKey] ^short = "Idempotency key: a hash of the plan version, the order and the evidence"
* extension contains ProgressionRationale named progressionRationale 1..1 MS
* extension[progressionRationale] ^short = "Why, in words, naming the numbers used"
* target MS
* target only Reference(GradusExerciseOrder or GradusExercisePlan)
* target ^short = "The order (the new one when it changed) or the plan the decision is about"
* recorded MS
* reason 1..1 MS
* reason from ProgressionDecisionVS (required)
* reason ^short = "The decision: progress | hold | regress | deload | ..."
* activity MS
* activity = $DataOp#UPDATE
* activity ^short = "UPDATE when the decision changed a resource; absent for hold"
* agent MS
* agent ^slicing.discriminator.type = #pattern
* agent ^slicing.discriminator.path = "type"
* agent ^slicing.rules = #open
* agent ^slicing.description = "Slice by the agent's participation type: the engine is the author, an approving clinician the verifier."
* agent contains engine 1..1 MS and verifier 0..1 MS
* agent[engine] ^short = "The Gradus engine, as a logical Device reference"
* agent[engine].type 1..1
* agent[engine].type = $ProvType#author
* agent[engine].who only Reference(Device)
* agent[engine].who.type 1..1
* agent[engine].who.type = "Device"
* agent[engine].who.identifier 1..1
* agent[engine].who.identifier.system 1..1
* agent[engine].who.identifier.system = "https://gradus.health/fhir/device"
* agent[engine].who.identifier.value 1..1
* agent[engine].who.identifier.value = "gradus-engine"
* agent[engine].who ^short = "Logical reference: identifier {base}/device|gradus-engine, display \"Gradus <version>\""
* agent[verifier] ^short = "The clinician who approved the change"
* agent[verifier].type 1..1
* agent[verifier].type = $ProvType#verifier
* agent[verifier].who only Reference(Practitioner)
* entity MS
* entity ^short = "An Observation the decision used"
* entity.role = #source
* entity.what only Reference(Observation)
