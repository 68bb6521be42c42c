// Gradus code systems (implementation-guide.md "Terminology"). Each is complete and has a ValueSet of all
// its codes with the same id (valuesets.fsh). The exercise catalogue is in exercise-catalogue.fsh.

RuleSet: CompleteCodeSystem(valueSet)
* ^status = #active
* ^caseSensitive = true
* ^content = #complete
* ^valueSet = Canonical({valueSet})

CodeSystem: GradusCS
Id: gradus
Title: "Gradus codes"
Description: "Codes that name Gradus resources (the exercise program, a performed session, the daily check-in, a tolerance test) and the measurements recorded in session and check-in components that LOINC does not cover."
* insert CompleteCodeSystem(GradusVS)
* #exercise-program "Exercise program" "A graded exercise program for chronic musculoskeletal pain: the CarePlan that holds a patient's prescribed exercises, their progression phase and policy."
* #exercise-session "Exercise session" "One performed session of one prescribed exercise, with what was done (sets, repetitions, load, duration) and how it felt (pain, exertion, heart rate)."
* #daily-check-in "Daily check-in" "The patient's daily self-monitoring log, filled in on waking: pain now, morning stiffness, fatigue, mood, sleep, confidence to move and steps."
* #tolerance-test "Tolerance test" "A baseline tolerance trial of one prescribed exercise: how long (minutes or seconds) or how many repetitions the patient managed before pain or fatigue stopped them. Three trials set the starting dose."
* #sets-completed "Sets completed" "Number of sets of the exercise completed in the session."
* #reps-final-set "Repetitions in final set" "Number of repetitions achieved in the last set of the session."
* #load-lifted "Load lifted" "External load used in the session (kilograms), e.g. dumbbell or kettlebell weight."
* #pain-during "Worst pain during session" "Worst pain during the session on a 0-10 numeric rating scale (0 = no pain, 10 = worst imaginable pain)."
* #pain-after "Pain after session" "Pain right after the session on a 0-10 numeric rating scale (0 = no pain, 10 = worst imaginable pain)."
* #morning-stiffness "Morning stiffness" "Stiffness on waking on a 0-10 scale (0 = none, 10 = worst imaginable)."
* #fatigue "Fatigue" "Fatigue on a 0-10 scale (0 = none, 10 = worst imaginable)."
* #mood "Mood" "Mood on a 0-10 scale (0 = worst, 10 = best)."
* #confidence "Confidence to move" "Confidence to move and be active today on a 0-10 scale (0 = not at all confident, 10 = completely confident)."

CodeSystem: ExerciseDomainCS
Id: exercise-domain
Title: "Exercise domain"
Description: "The four domains of exercise prescription (ACSM, Garber 2011). The domain decides how a dose progresses, regresses and is reduced in a flare or a deload (see docs/clinical-rules.md in the Gradus repository)."
* insert CompleteCodeSystem(ExerciseDomainVS)
* #strength "Strength" "Resistance exercise: dosed in sets, repetitions and load; progresses by load, then repetitions, then sets."
* #mobility "Mobility" "Flexibility, range-of-motion and restorative exercise: dosed in hold time or repetitions."
* #endurance "Endurance" "Aerobic exercise: dosed in minutes per session at a heart-rate zone or perceived exertion; progresses by duration."
* #neuromotor "Neuromotor" "Balance, coordination, gait and motor-control exercise: dosed in hold time or repetitions."

CodeSystem: ProgressionModeCS
Id: progression-mode
Title: "Progression mode"
Description: "How the engine decides to progress an exercise: guided by the patient's pain response, or by a time-contingent quota (graded activity)."
* insert CompleteCodeSystem(ProgressionModeVS)
* #pain-guided "Pain-guided" "Pain-monitoring model (Silbernagel 2007): a dose progresses after sessions whose pain during and after stayed at or under the ceiling and settled by the next morning."
* #quota-based "Quota-based" "Graded activity (Lindstrom 1992): a dose progresses on a fixed schedule once the patient did enough of the prescribed sessions, regardless of pain during sessions."

CodeSystem: IntensityMeasureCS
Id: intensity-measure
Title: "Intensity measure"
Description: "What the engine uses to judge endurance intensity."
* insert CompleteCodeSystem(IntensityMeasureVS)
* #heart-rate "Heart rate" "Mean heart rate against the prescribed heart-rate zone (Karvonen heart-rate reserve)."
* #rpe "Rating of perceived exertion" "Rating of perceived exertion on a 0-10 scale against the prescribed target range; use when heart-rate zones are invalid, e.g. on beta-blockers."

CodeSystem: ProgressionPhaseCS
Id: progression-phase
Title: "Progression phase"
Description: "The phase a patient's exercise program is in. The phase decides which progression rules apply (see docs/clinical-rules.md in the Gradus repository)."
* insert CompleteCodeSystem(ProgressionPhaseVS)
* #baseline "Baseline" "Tolerance tests are being done to set the starting dose of each exercise."
* #build "Build" "Doses progress, hold or regress with the patient's response."
* #deload "Deload" "A planned recovery week with volume reduced by 40%, every few weeks or when fatigue builds up."
* #flare "Flare" "Pain rose by 2 or more points above baseline on 2 consecutive days: loads are halved until pain settles."
* #return-to-load "Return to load" "After a flare: doses restart at 75% of the pre-flare dose and climb back by 10% steps."
* #referred "Referred" "A red flag was reported or a flare did not settle: the program is on hold for clinical review. Only a clinician moves the program out of this phase."

CodeSystem: ProgressionDecisionCS
Id: progression-decision
Title: "Progression decision"
Description: "The decision the engine made about an exercise order or a program in one evaluation; the reason of each progression Provenance."
* insert CompleteCodeSystem(ProgressionDecisionVS)
* #establish-baseline "Establish baseline" "Three or more tolerance tests set the starting dose at 75% of their mean."
* #progress "Progress" "The dose goes up by one increment."
* #hold "Hold" "The dose stays the same."
* #regress "Regress" "The dose goes down, to the last lower dose or by one increment."
* #deload "Deload" "Volume is reduced by 40% for a recovery week."
* #resume "Resume" "After a deload week, the dose returns to its pre-deload value."
* #flare-protocol "Flare protocol" "A flare began: strength loads and endurance durations are halved, intensity lowered."
* #return-to-load "Return to load" "After a flare, the dose restarts at 75% of the pre-flare dose or climbs back towards it by 10% steps."
* #refer "Refer" "A red flag or a flare that did not settle: orders are put on hold and the patient is referred for clinical review."

CodeSystem: RedFlagCS
Id: red-flag
Title: "Red-flag symptom"
Description: "Symptoms that may signal serious pathology or an unsafe exercise response (Finucane 2020; ACSM stop signs). Any one reported true in the last 14 days puts the program on hold for clinical review."
* insert CompleteCodeSystem(RedFlagVS)
* #saddle-anaesthesia "Saddle anaesthesia" "Numbness in the groin, buttocks or inner thighs (possible cauda equina syndrome)."
* #bladder-bowel-dysfunction "Bladder or bowel dysfunction" "New difficulty passing urine, incontinence or loss of bowel control (possible cauda equina syndrome)."
* #progressive-neurological-deficit "Progressive neurological deficit" "Weakness, numbness or loss of reflexes that is getting worse."
* #chest-pain "Chest pain" "Chest pain or pressure, at rest or on exertion."
* #syncope-or-dizziness "Syncope or dizziness" "Fainting, near-fainting or dizziness, especially on exertion."
* #disproportionate-breathlessness "Disproportionate breathlessness" "Shortness of breath out of proportion to the effort."
* #unexplained-weight-loss "Unexplained weight loss" "Weight loss without a known reason (possible malignancy)."
* #fever "Fever" "Fever or feeling feverish together with the pain (possible infection)."
* #night-pain-unrelieved "Unrelieved night pain" "Pain at night that no position or rest relieves."
* #new-trauma "New trauma" "A new fall, accident or injury since the program began."
