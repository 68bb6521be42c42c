// The starter exercise catalogue (implementation-guide.md "Terminology", `exercise`). Each exercise names its
// domain through the `domain` property, which decides how its dose progresses (docs/clinical-rules.md "Increments (one step)").

RuleSet: InDomain(code, domain, display)
* #{code} ^property[0].code = #domain
* #{code} ^property[0].valueCoding = ExerciseDomainCS#{domain} "{display}"

CodeSystem: ExerciseCS
Id: exercise
Title: "Exercise"
Description: "A starter catalogue of exercises used in graded exercise programs for chronic musculoskeletal pain. Each exercise carries the property `domain` (strength, mobility, endurance or neuromotor), which decides how its dose is expressed and progressed."
* insert CompleteCodeSystem(ExerciseVS)
* ^property[0].code = #domain
* ^property[0].uri = "https://gradus.health/fhir/CodeSystem/exercise#domain"
* ^property[0].description = "The exercise domain (a Coding from the exercise-domain CodeSystem): decides how the dose is expressed and progressed."
* ^property[0].type = #Coding
* #sit-to-stand "Sit-to-stand" "Stand up from a chair and sit back down with control, arms crossed if possible."
* insert InDomain(sit-to-stand, strength, Strength)
* #wall-push-up "Wall push-up" "Push-up against a wall, body straight; step further from the wall to make it harder."
* insert InDomain(wall-push-up, strength, Strength)
* #step-up "Step-up" "Step up onto a stair or box with one leg and back down, alternating or one side at a time."
* insert InDomain(step-up, strength, Strength)
* #glute-bridge "Glute bridge" "Lying on the back with knees bent, lift the hips until the body is straight from shoulders to knees, then lower."
* insert InDomain(glute-bridge, strength, Strength)
* #band-row "Band row" "Pull an elastic band towards the chest with the elbows close to the body, squeezing the shoulder blades together."
* insert InDomain(band-row, strength, Strength)
* #farmer-carry "Farmer carry" "Walk upright carrying a weight in each hand."
* insert InDomain(farmer-carry, strength, Strength)
* #heel-raise "Heel raise" "Standing, rise onto the toes and lower slowly; on one leg to make it harder."
* insert InDomain(heel-raise, strength, Strength)
* #side-plank "Side plank" "Hold the body straight on one forearm and the side of the feet (or knees); dosed in holds of a given time."
* insert InDomain(side-plank, strength, Strength)
* #squat "Squat" "Bend the hips and knees as if sitting back onto a chair, then stand up; bodyweight or holding a load."
* insert InDomain(squat, strength, Strength)
* #clamshell "Clamshell" "Lying on the side with knees bent, open the top knee while keeping the feet together; a band above the knees adds load."
* insert InDomain(clamshell, strength, Strength)
* #walking "Walking" "Continuous walking at the prescribed intensity."
* insert InDomain(walking, endurance, Endurance)
* #nordic-walking "Nordic walking" "Walking with poles, which involves the arms and trunk."
* insert InDomain(nordic-walking, endurance, Endurance)
* #stationary-cycling "Stationary cycling" "Cycling on a stationary bike at the prescribed intensity."
* insert InDomain(stationary-cycling, endurance, Endurance)
* #aquatic-walking "Aquatic walking" "Walking in waist- to chest-deep water, which unloads the joints."
* insert InDomain(aquatic-walking, endurance, Endurance)
* #elliptical-trainer "Elliptical trainer" "Continuous exercise on an elliptical cross-trainer, with low impact on the joints."
* insert InDomain(elliptical-trainer, endurance, Endurance)
* #swimming "Swimming" "Continuous swimming in any comfortable stroke."
* insert InDomain(swimming, endurance, Endurance)
* #cat-camel "Cat-camel" "On hands and knees, slowly round and then arch the back through a comfortable range."
* insert InDomain(cat-camel, mobility, Mobility)
* #hip-flexor-stretch "Hip flexor stretch" "Half-kneeling, shift the hips forward until a stretch is felt at the front of the hip; dosed in hold time."
* insert InDomain(hip-flexor-stretch, mobility, Mobility)
* #thoracic-rotation "Thoracic rotation" "Side-lying or seated, rotate the upper back and open the arm through a comfortable range."
* insert InDomain(thoracic-rotation, mobility, Mobility)
* #hamstring-stretch "Hamstring stretch" "With the knee straight, hinge at the hip until a stretch is felt at the back of the thigh; dosed in hold time."
* insert InDomain(hamstring-stretch, mobility, Mobility)
* #calf-stretch "Calf stretch" "Standing facing a wall, one leg back with the heel down, lean forward until a stretch is felt in the calf; dosed in hold time."
* insert InDomain(calf-stretch, mobility, Mobility)
* #pelvic-tilt "Pelvic tilt" "Lying on the back with knees bent, gently flatten and then arch the lower back."
* insert InDomain(pelvic-tilt, mobility, Mobility)
* #chin-tuck "Chin tuck" "Draw the chin straight back, lengthening the back of the neck, then relax."
* insert InDomain(chin-tuck, mobility, Mobility)
* #diaphragmatic-breathing "Diaphragmatic breathing" "Slow breathing into the belly, lying or sitting; restorative work that is kept during flares."
* insert InDomain(diaphragmatic-breathing, mobility, Mobility)
* #single-leg-stance "Single-leg stance" "Stand on one leg near a support; dosed in hold time. Eyes closed or a soft surface make it harder."
* insert InDomain(single-leg-stance, neuromotor, Neuromotor)
* #tandem-walk "Tandem walk" "Walk heel-to-toe along a straight line."
* insert InDomain(tandem-walk, neuromotor, Neuromotor)
* #bird-dog "Bird dog" "On hands and knees, reach one arm and the opposite leg out straight while keeping the trunk still, then switch."
* insert InDomain(bird-dog, neuromotor, Neuromotor)
* #dead-bug "Dead bug" "Lying on the back with arms and legs raised, lower the opposite arm and leg slowly while keeping the lower back still."
* insert InDomain(dead-bug, neuromotor, Neuromotor)
* #tai-chi "Tai chi" "Slow, flowing tai chi movements for balance and coordination; dosed in minutes or repetitions of a form."
* insert InDomain(tai-chi, neuromotor, Neuromotor)
