/**
 * How long an OTA update id may be. IoT names the update's job `AFR_OTA-<id>` and job ids stop at 64 characters, so
 * an id (given or derived) keeps to 56 although the OTAUpdateId shape allows 128.
 */
export const OTA_UPDATE_ID_MAX_LENGTH = 56;
