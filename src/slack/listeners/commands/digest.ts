// `/measures digest [now]`: the weekly digest's preview and immediate post (issue 7, src/digest/).
export { digestCommand } from '../../../digest/slack-command.ts';
