// External code systems used by the Gradus profiles.
Alias: $LNC = http://loinc.org
Alias: $SCT = http://snomed.info/sct
Alias: $UCUM = http://unitsofmeasure.org
Alias: $ObsCat = http://terminology.hl7.org/CodeSystem/observation-category
Alias: $DataOp = http://terminology.hl7.org/CodeSystem/v3-DataOperation
Alias: $ProvType = http://terminology.hl7.org/CodeSystem/provenance-participant-type
