// One ValueSet of all codes per Gradus CodeSystem, with the same id (implementation-guide.md "Terminology").

RuleSet: AllCodesOf(codeSystem)
* ^status = #active
* include codes from system {codeSystem}

ValueSet: GradusVS
Id: gradus
Title: "Gradus codes"
Description: "All codes of the Gradus CodeSystem: resource kinds and the session and check-in measurements LOINC does not cover."
* insert AllCodesOf(GradusCS)

ValueSet: ExerciseDomainVS
Id: exercise-domain
Title: "Exercise domain"
Description: "All exercise domains: strength, mobility, endurance, neuromotor. Bound (required) to the `domain` category slice of an exercise order."
* insert AllCodesOf(ExerciseDomainCS)

ValueSet: ProgressionModeVS
Id: progression-mode
Title: "Progression mode"
Description: "All progression modes: pain-guided or quota-based. Bound (required) to the `mode` of the progression-policy extension."
* insert AllCodesOf(ProgressionModeCS)

ValueSet: IntensityMeasureVS
Id: intensity-measure
Title: "Intensity measure"
Description: "All intensity measures: heart-rate or rpe. Bound (required) to `intensityBy` of the progression-policy extension."
* insert AllCodesOf(IntensityMeasureCS)

ValueSet: ProgressionPhaseVS
Id: progression-phase
Title: "Progression phase"
Description: "All progression phases. Bound (required) to the progression-phase extension of an exercise plan."
* insert AllCodesOf(ProgressionPhaseCS)

ValueSet: ProgressionDecisionVS
Id: progression-decision
Title: "Progression decision"
Description: "All progression decisions. Bound (required) to the reason of a progression Provenance."
* insert AllCodesOf(ProgressionDecisionCS)

ValueSet: RedFlagVS
Id: red-flag
Title: "Red-flag symptom"
Description: "All red-flag symptoms. Bound (required) to the code of a symptom alert."
* insert AllCodesOf(RedFlagCS)

ValueSet: ExerciseVS
Id: exercise
Title: "Exercise"
Description: "All exercises of the Gradus starter catalogue. Bound (extensible) to the code of an exercise order: an exercise outside the catalogue may be coded elsewhere when no catalogue code fits."
* insert AllCodesOf(ExerciseCS)
