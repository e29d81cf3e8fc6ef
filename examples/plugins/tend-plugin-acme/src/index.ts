// The package's entry: Tend loads every plugin in the default export's list.
import crmTask from './crm-task.js';
import chatMessage from './chat-message.js';

export { crmTask, chatMessage };
export default [crmTask, chatMessage];
