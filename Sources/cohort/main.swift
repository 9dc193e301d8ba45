import CohortKit

StageCommand.main(.cohort) { try CohortStage.run($0) }
