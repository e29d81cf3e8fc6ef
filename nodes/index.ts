// The built-in nodes, loaded by the registry exactly as a third-party package is.
import triggerEvent from './trigger-event.js';
import waitDuration from './wait-duration.js';
import waitUntil from './wait-until.js';
import waitEvent from './wait-event.js';
import logicIf from './logic-if.js';
import logicSplit from './logic-split.js';
import logicExit from './logic-exit.js';
import logicSwitch from './logic-switch.js';
import logicLoop from './logic-loop.js';
import updateContact from './action-update-contact.js';
import score from './action-score.js';
import email from './action-email.js';
import webhook from './action-webhook.js';
import sms from './action-sms.js';
import notifyOwner from './action-notify-owner.js';
import scoreThreshold from './trigger-score-threshold.js';
import setStage from './action-set-stage.js';
import stageChanged from './trigger-stage-changed.js';
import fieldChanged from './trigger-field-changed.js';
import dateProperty from './trigger-date-property.js';
import enrolled from './trigger-enrolled.js';
import { enrollIn, removeFrom } from './action-program.js';
import pageVisit from './trigger-page-visit.js';
import formSubmitted from './trigger-form-submitted.js';
import type { NodePlugin } from '../engine/plugin.js';

export const plugins = [triggerEvent, waitDuration, waitUntil, waitEvent, logicIf, logicSplit, logicExit, logicSwitch, logicLoop, updateContact, score, email, webhook, sms, notifyOwner, scoreThreshold, setStage, stageChanged, fieldChanged, dateProperty, enrolled, enrollIn, removeFrom, pageVisit, formSubmitted] as unknown as NodePlugin[];
export default plugins;
