// Gradus extensions (implementation-guide.md "Extensions"). Invariants are in invariants.fsh.

Extension: ExerciseDose
Id: exercise-dose
Title: "Exercise dose"
Description: "The prescribed dose of one exercise: how many sets and repetitions, with what load, for how long, at what intensity, and where on the progression ladder it stands. Strength work is dosed in sets, repetitions and load; endurance in minutes per session at a heart-rate zone or perceived exertion; mobility and neuromotor work in hold time (seconds) or repetitions. At least one of sets, repetitions or duration is given."
Context: ServiceRequest
* obeys gradus-exercise-dose-1
* extension contains
    sets 0..1 MS and
    reps 0..1 MS and
    load 0..1 MS and
    duration 0..1 MS and
    heartRateZone 0..1 MS and
    rpeTarget 0..1 MS and
    step 0..1 MS
* extension[sets] ^short = "Number of sets per session"
* extension[sets] ^definition = "How many sets of the exercise to do in each session."
* extension[sets].value[x] 1..1
* extension[sets].value[x] only integer
* extension[sets].value[x] ^minValueInteger = 1
* extension[reps] ^short = "Repetitions per set"
* extension[reps] ^definition = "How many repetitions to do in each set (or in the session, when no sets are given)."
* extension[reps].value[x] 1..1
* extension[reps].value[x] only integer
* extension[reps].value[x] ^minValueInteger = 1
* extension[load] ^short = "External load (kg)"
* extension[load] ^definition = "The external load to use, in kilograms (UCUM `kg`), e.g. the dumbbell or kettlebell weight. Absent for bodyweight exercise."
* extension[load].value[x] 1..1
* extension[load].value[x] only Quantity
* extension[load].value[x] obeys gradus-exercise-dose-2
* extension[duration] ^short = "Minutes per session, or hold time (s) per repetition"
* extension[duration] ^definition = "In UCUM `min`: minutes per session, as for endurance work (walking, cycling). In UCUM `s`: hold time per repetition, as for stretches, balance and isometric holds."
* extension[duration].value[x] 1..1
* extension[duration].value[x] only Quantity
* extension[duration].value[x] obeys gradus-exercise-dose-3
* extension[heartRateZone] ^short = "Target heart-rate zone (/min)"
* extension[heartRateZone] ^definition = "The target heart-rate zone for endurance work, in beats per minute (UCUM `/min`), from the heart-rate reserve (Karvonen): light 30-39%, moderate 40-59%."
* extension[heartRateZone].value[x] 1..1
* extension[heartRateZone].value[x] only Range
* extension[heartRateZone].value[x] obeys gradus-exercise-dose-4
* extension[rpeTarget] ^short = "Target perceived exertion (0-10)"
* extension[rpeTarget] ^definition = "The target rating of perceived exertion on the 0-10 scale (UCUM `{score}`): light 2-3, moderate 4-6."
* extension[rpeTarget].value[x] 1..1
* extension[rpeTarget].value[x] only Range
* extension[rpeTarget].value[x] obeys gradus-exercise-dose-5
* extension[step] ^short = "Position on the progression ladder (from 1)"
* extension[step] ^definition = "How many steps up the progression ladder this dose stands, starting at 1 for the baseline dose: +1 on progress, -1 on regress; flare, deload, return-to-load and resume doses keep the step."
* extension[step].value[x] 1..1
* extension[step].value[x] only integer
* extension[step].value[x] ^minValueInteger = 1

Extension: ProgressionPolicy
Id: progression-policy
Title: "Progression policy"
Description: "How this plan progresses: the mode (pain-guided or quota-based) and, optionally, the clinician's overrides of the default pain ceiling, number of stable sessions before a progression, deload interval and intensity measure. When the extension is absent the defaults of the Gradus clinical rules apply (pain-guided, ceiling 5/10, 2 stable sessions, deload every 4 weeks)."
Context: CarePlan
* extension contains
    mode 1..1 MS and
    painCeiling 0..1 MS and
    stableSessions 0..1 MS and
    deloadEveryWeeks 0..1 MS and
    intensityBy 0..1 MS
* extension[mode] ^short = "pain-guided | quota-based"
* extension[mode] ^definition = "Pain-guided: progress after sessions whose pain stayed at or under the ceiling and settled by the next morning. Quota-based (graded activity): progress on schedule once enough of the prescribed sessions were done, regardless of pain during sessions."
* extension[mode].value[x] 1..1
* extension[mode].value[x] only code
* extension[mode].value[x] from ProgressionModeVS (required)
* extension[painCeiling] ^short = "Highest acceptable pain during and after a session (0-10; default 5)"
* extension[painCeiling] ^definition = "The highest pain (0-10) during or right after a session for the session to count as tolerated. Default 5 (Silbernagel 2007)."
* extension[painCeiling].value[x] 1..1
* extension[painCeiling].value[x] only integer
* extension[painCeiling].value[x] ^minValueInteger = 0
* extension[painCeiling].value[x] ^maxValueInteger = 10
* extension[stableSessions] ^short = "Tolerated sessions needed before a progression (default 2)"
* extension[stableSessions] ^definition = "How many of the latest sessions must all be tolerated before the dose progresses. Default 2."
* extension[stableSessions].value[x] 1..1
* extension[stableSessions].value[x] only integer
* extension[stableSessions].value[x] ^minValueInteger = 1
* extension[deloadEveryWeeks] ^short = "Planned deload week every N program weeks (default 4)"
* extension[deloadEveryWeeks] ^definition = "A deload week (volume -40%) falls on every program week that is a multiple of this number. Default 4."
* extension[deloadEveryWeeks].value[x] 1..1
* extension[deloadEveryWeeks].value[x] only integer
* extension[deloadEveryWeeks].value[x] ^minValueInteger = 1
* extension[intensityBy] ^short = "heart-rate | rpe"
* extension[intensityBy] ^definition = "What judges endurance intensity. Default: heart-rate for an order with a heart-rate zone, else rpe. Set rpe when heart-rate zones are invalid, e.g. on beta-blockers."
* extension[intensityBy].value[x] 1..1
* extension[intensityBy].value[x] only code
* extension[intensityBy].value[x] from IntensityMeasureVS (required)

Extension: ProgressionPhase
Id: progression-phase
Title: "Progression phase"
Description: "The phase the exercise program is in (baseline, build, deload, flare, return-to-load, referred). The phase decides which progression rules apply; the engine updates it and a clinician may set it, e.g. to leave `referred`."
Context: CarePlan
* value[x] 1..1
* value[x] only code
* value[x] from ProgressionPhaseVS (required)

Extension: PhaseSince
Id: phase-since
Title: "Phase since"
Description: "When the current progression phase began. Written on every phase change; phase-based timing (deload week, flare duration) counts from it."
Context: CarePlan
* value[x] 1..1
* value[x] only dateTime

Extension: ReferencePain
Id: reference-pain
Title: "Reference pain"
Description: "Baseline daily pain B (0-10, a mean, so decimal) frozen when a flare began, so that flare and return-to-load decisions compare with the pain before the flare. Kept through return-to-load, removed on returning to build."
Context: CarePlan
* value[x] 1..1
* value[x] only decimal
* value[x] ^minValueDecimal = 0
* value[x] ^maxValueDecimal = 10

Extension: FlareSince
Id: flare-since
Title: "Flare since"
Description: "When the current flare began. Kept through return-to-load (the pre-flare dose is the dose authored before this moment), removed on returning to build."
Context: CarePlan
* value[x] 1..1
* value[x] only dateTime

Extension: ProgressionRationale
Id: progression-rationale
Title: "Progression rationale"
Description: "Why the engine made a progression decision, in words a clinician reads, naming the rule and the numbers it used (e.g. \"pain during session 7/10 > ceiling 5\"). Plays the role of CPG-on-FHIR's cpg-rationale, defined here so the package depends on nothing beyond FHIR core."
Context: Provenance
* value[x] 1..1
* value[x] only markdown
