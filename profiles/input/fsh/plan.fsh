// The exercise program (implementation-guide.md "gradus-exercise-plan").

Profile: GradusExercisePlan
Parent: CarePlan
Id: gradus-exercise-plan
Title: "Gradus exercise plan"
Description: "A patient's graded exercise program for chronic musculoskeletal pain. It lists the prescribed exercises (one exercise order per activity), the program's start (program week 1 begins there), its current progression phase, and the progression policy the clinician chose. The progression engine reads it with the patient's logs and writes it back with updated activities and phase."
* . ^short = "Graded exercise program"
* extension contains
    ProgressionPolicy named progressionPolicy 0..1 MS and
    ProgressionPhase named progressionPhase 1..1 MS and
    PhaseSince named phaseSince 0..1 MS and
    ReferencePain named referencePain 0..1 MS and
    FlareSince named flareSince 0..1 MS
* extension[progressionPolicy] ^short = "Progression mode and clinician overrides (absent: defaults)"
* extension[progressionPhase] ^short = "Current phase: baseline | build | deload | flare | return-to-load | referred"
* extension[phaseSince] ^short = "When the current phase began"
* extension[referencePain] ^short = "Baseline pain frozen at the start of a flare"
* extension[flareSince] ^short = "When the current flare began"
* status MS
* status ^short = "active while the program runs; on-hold or revoked stops progression"
* intent = #plan
* intent MS
* category 1..* MS
* category ^slicing.discriminator.type = #pattern
* category ^slicing.discriminator.path = "$this"
* category ^slicing.rules = #open
* category ^slicing.description = "Slice by the category's coding; other categories are allowed."
* category contains program 1..1 MS
* category[program] = GradusCS#exercise-program
* category[program] ^short = "Marks the CarePlan as a Gradus exercise program"
* subject 1..1 MS
* subject only Reference(Patient)
* subject ^short = "The patient doing the program"
* period 1..1 MS
* period.start 1..1 MS
* period.start ^short = "Program start: program week 1 begins here"
* period.start ^definition = "When the program began. Program weeks count from here (week 1 = the first 7 days); a planned deload falls on every program week that is a multiple of the policy's deloadEveryWeeks."
* goal MS
* goal only Reference(GradusExerciseGoal)
* goal ^short = "SMART goals of the program"
* activity 1..* MS
* activity ^short = "One prescribed exercise per activity"
* activity.reference 1..1 MS
* activity.reference only Reference(GradusExerciseOrder)
* activity.reference ^short = "The current exercise order (its dose is in the order)"
* activity.reference ^definition = "The exercise order this activity stands for. When a dose changes, the engine points the activity at the new order, which replaces the old one."
