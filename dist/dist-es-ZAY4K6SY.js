import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-ATSB6E63.js";import"./chunk-AKR6TL5R.js";import"./chunk-45PL5QT2.js";import"./chunk-K6MS2RBG.js";import"./chunk-OOEDKO62.js";export{f as ENV_ACCOUNT_ID,e as ENV_CREDENTIAL_SCOPE,d as ENV_EXPIRATION,a as ENV_KEY,b as ENV_SECRET,c as ENV_SESSION,g as fromEnv};
