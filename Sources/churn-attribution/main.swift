import CohortKit

StageCommand.main(.attribution) { try AttributionStage.run($0) }
